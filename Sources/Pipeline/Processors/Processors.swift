import BulkChange

/// The processor of each change type: a seventh type is one new file and one line here.
enum Processors {
    static let all: [any ChangeProcessor] = [
        CustomerRatePlanProcessor(), CarrierRatePlanProcessor(), StatusUpdateProcessor(), EditUsernameProcessor(),
        ChangeIdentifierProcessor(), ArchivalProcessor(),
    ]

    static func processor(for type: ChangeType) -> any ChangeProcessor {
        guard let processor = all.first(where: { $0.changeType == type }) else {
            preconditionFailure("no processor for \(type.slug)")
        }
        return processor
    }
}
