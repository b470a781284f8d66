import BulkChange
import Foundation

/// A value handed between a task and the thread it runs a step on, one step at a time: never used
/// from two threads at once, though its type is not `Sendable` (a reader, a writer).
final class Handed<Value>: @unchecked Sendable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }
}

/// An input file read a chunk of rows at a time on a file-work thread, never on the cooperative
/// pool, with its failures as pipeline errors.
enum InputChunks {
    /// Opens the file at `path` (see `InputRowReader.open`).
    static func open(_ path: String, limits: InputLimits) async throws(PipelineError) -> Handed<InputRowReader> {
        do {
            return try await FileWork.run { () throws(InputFileError) in
                Handed(try InputRowReader.open(path: path, limits: limits))
            }
        } catch {
            throw .input(error)
        }
    }

    /// Up to `count` more rows; empty at the end.
    static func next(_ reader: Handed<InputRowReader>, upTo count: Int) async throws(PipelineError) -> [InputRow] {
        do {
            return try await FileWork.run { () throws(InputFileError) in try reader.value.next(upTo: count) }
        } catch {
            throw .input(error)
        }
    }

    /// The carrier rate plans and communication plans the file's rows name, read in a pass of
    /// their own (the names are few, the rows are let go).
    static func planNames(_ path: String, limits: InputLimits) async throws(PipelineError)
        -> (ratePlans: Set<String>, communicationPlans: Set<String>)
    {
        do {
            return try await FileWork.run { () throws(InputFileError) in
                let reader = try InputRowReader.open(path: path, limits: limits)
                var ratePlans: Set<String> = []
                var communicationPlans: Set<String> = []
                while case let rows = try reader.next(upTo: 4096), !rows.isEmpty {
                    for row in rows {
                        if let plan = row.fields["carrier_rate_plan"] { ratePlans.insert(plan) }
                        if let plan = row.fields["communication_plan"] { communicationPlans.insert(plan) }
                    }
                }
                return (ratePlans, communicationPlans)
            }
        } catch {
            throw .input(error)
        }
    }
}
