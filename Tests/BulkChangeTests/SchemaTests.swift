import BulkChange
import Foundation
import Testing

/// The JSON Schemas in `schemas/` describe the same fields as `ChangeType.fields`.
@Suite("schemas/")
struct SchemaTests {
    /// `schemas/` at the package root, found from this file's path.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("schemas")

    func load(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent(name))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(name)")
    }

    @Test(arguments: ChangeType.allCases)
    func rowSchemaMatchesFields(_ type: ChangeType) throws {
        let schema = try load("\(type.slug).schema.json")
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect(schema["type"] as? String == "object")
        let properties = try #require(schema["properties"] as? [String: [String: Any]])
        #expect(Set(properties.keys) == Set(type.fields.map(\.name)))
        #expect(Set(schema["required"] as? [String] ?? []) == Set(type.fields.filter(\.required).map(\.name)))
        for spec in type.fields {
            let property = try #require(properties[spec.name], "\(spec.name)")
            #expect(property["type"] as? String == "string", "\(spec.name)")
            #expect(property["pattern"] as? String == spec.pattern, "\(spec.name)")
            #expect(property["maxLength"] as? Int == spec.maxLength, "\(spec.name)")
            #expect(property["x-aliases"] as? [String] == spec.aliases, "\(spec.name)")
            #expect(property["x-kind"] as? String == spec.kind.rawValue, "\(spec.name)")
            let description = try #require(property["description"] as? String, "\(spec.name)")
            #expect(description.hasPrefix(spec.summary), "\(spec.name)")
            for alias in spec.aliases { #expect(description.contains(alias), "\(spec.name): \(alias)") }
        }
    }

    @Test func envelopeSchema() throws {
        let schema = try load("bulk-change.schema.json")
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        let properties = try #require(schema["properties"] as? [String: [String: Any]])
        #expect(Set(properties.keys) == ["changeType", "serviceProvider", "defaults", "devices"])
        #expect(properties["changeType"]?["enum"] as? [String] == ChangeType.allCases.map(\.slug))
        #expect(properties["devices"]?["type"] as? String == "array")
        #expect(schema["required"] as? [String] == ["devices"])
    }

    @Test func oneSchemaPerChangeTypeAndTheEnvelope() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path)
            .filter { $0.hasSuffix(".schema.json") }
        #expect(Set(names) == Set(ChangeType.allCases.map { "\($0.slug).schema.json" } + ["bulk-change.schema.json"]))
    }
}
