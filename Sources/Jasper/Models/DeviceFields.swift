/// Reading a device's editable fields by their Control Center names (`status`, `ratePlan`,
/// `deviceID`, `accountCustom3`, …), to tell whether an edit shows.
extension JasperDevice {
    /// The value of the field named as in an edit, or `nil` when it is unset or not a field.
    public func value(ofField name: String) -> String? {
        switch name {
        case "status": status
        case "ratePlan": ratePlan
        case "communicationPlan": communicationPlan
        case "customer": customer
        case "deviceID": deviceID
        case "modemID": modemID
        default:
            name.hasPrefix("accountCustom")
                ? Int(name.dropFirst("accountCustom".count)).flatMap { accountCustom[$0] } : nil
        }
    }

    /// Whether every field in `fields` has its value.
    public func shows(_ fields: [String: String]) -> Bool {
        fields.allSatisfy { value(ofField: $0.key) == $0.value }
    }
}

extension DeviceSummary {
    /// The fields a device listing carries.
    public static let listedFields: Set<String> = ["status", "ratePlan", "communicationPlan"]

    /// Whether every field in `fields` has its value; `nil` when the listing does not carry one of them.
    public func shows(_ fields: [String: String]) -> Bool? {
        guard fields.keys.allSatisfy(Self.listedFields.contains) else { return nil }
        return fields.allSatisfy { field, value in
            switch field {
            case "status": status == value
            case "ratePlan": ratePlan == value
            default: communicationPlan == value
            }
        }
    }
}
