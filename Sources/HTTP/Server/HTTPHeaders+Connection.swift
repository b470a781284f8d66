extension HTTPHeaders {
    /// Whether a `Connection` field lists `option` (such as `close` or `keep-alive`), compared without case.
    func hasConnectionOption(_ option: String) -> Bool {
        contains { name, value in
            name.caseInsensitiveEquals("Connection")
                && value.split(separator: ",").contains { element in
                    element.filter { $0 != " " && $0 != "\t" }.caseInsensitiveEquals(option)
                }
        }
    }
}
