import XMLStream
import Zip

/// The XML events of one part of a workbook, inflated and parsed as they are asked for, so that a
/// large worksheet never sits in memory whole.
struct XMLPartReader {
    /// The part's name in the archive, for messages.
    let part: String
    private let stream: ZipEntryStream
    private var parser: XMLPullParser
    private var finished = false

    /// The reader of `part`.
    ///
    /// - Throws: `XLSXError.missingPart` when the archive has no such entry.
    init(_ archive: ZipReader, part: String, limits: XLSXLimits) throws(XLSXError) {
        guard let entry = archive.entry(named: part) else { throw .missingPart(part) }
        self.part = part
        do { stream = try archive.stream(entry) } catch { throw .zip(error) }
        parser = XMLPullParser(limits: limits.xml)
    }

    /// The next event; `nil` once the document has ended.
    mutating func next() throws(XLSXError) -> XMLEvent? {
        while true {
            let step: XMLStep
            do { step = try parser.next() } catch { throw .xml(part: part, error) }
            switch step {
            case .event(let event):
                return event
            case .end:
                return nil
            case .needInput:
                precondition(!finished, "the XML parser asked for input after it was finished")
                let bytes: [UInt8]
                do { bytes = try stream.read(upTo: 64 * 1024) } catch { throw .zip(error) }
                if bytes.isEmpty {
                    parser.finish()
                    finished = true
                } else {
                    parser.feed(bytes)
                }
            }
        }
    }

    /// Every event of the part, for the small parts read whole (relationships, the workbook).
    mutating func all() throws(XLSXError) -> [XMLEvent] {
        var events: [XMLEvent] = []
        while let event = try next() { events.append(event) }
        return events
    }
}
