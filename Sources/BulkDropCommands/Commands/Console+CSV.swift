import CSV

extension Console {
    /// Reports a CSV problem as `FILE:LINE:COLUMN: reason`, or as `bulkdrop: error: …` when it is
    /// not about a place in the text (a file that cannot be opened).
    func report(_ error: CSVError, in path: String) {
        if error.position == nil {
            self.error(error.description)
        } else {
            errors.write("\(path):\(error)\n")
        }
    }
}
