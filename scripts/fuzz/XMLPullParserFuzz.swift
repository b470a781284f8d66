// libFuzzer target for the hand-written streaming XML reader (Sources/XMLStream).
//
// Built by scripts/fuzz-xml.sh, which compiles this file together with every file of
// Sources/XMLStream into one module (so there is no `import XMLStream`, and internal API is
// visible).
//
// Input layout: byte 0 chooses how the rest, the XML text, is read.
//   bits 0-2: chunkSize  1, 2, 3, 7, 64, 5, 16, 4096
//   bits 3-4: limits     default, tight (depth 4, names 8, attributes 3, texts 16), default,
//                        small (depth 16, names 32, attributes 8, texts 256)
//   bit 5:    when set, every chunk is fed before the first event is pulled
//
// Invariants, each a trap (preconditionFailure) when broken:
//   (a) the same bytes read whole, byte by byte and in the chosen chunks give the same events,
//       the same error and the same final position;
//   (b) after an error every call throws it again; after `.end` every call says `.end`;
//   (c) the events are well-formed: end tags match start tags, one root, no empty text, no two
//       texts in a row, and nothing over the limits;
//   (d) when reading succeeded, the events written back as XML read back to the same events.
//
// Set XML_FUZZ_VERBOSE=1 to print both sides of a broken invariant before the trap.

import Glibc

private struct ReadResult: Equatable {
    var events: [XMLEvent] = []
    var error: XMLError?
    var position = XMLPosition(byteOffset: 0, line: 1, column: 1)
}

private let chunkSizes = [1, 2, 3, 7, 64, 5, 16, 4096]
private let limitChoices = [
    XMLLimits(),
    XMLLimits(maxDepth: 4, maxNameBytes: 8, maxAttributes: 3, maxTextBytes: 16),
    XMLLimits(),
    XMLLimits(maxDepth: 16, maxNameBytes: 32, maxAttributes: 8, maxTextBytes: 256),
]

private let invariant = FuzzInvariant(reader: "XML")

private func read(_ bytes: [UInt8], limits: XMLLimits, chunkSize: Int, feedFirst: Bool = false) -> ReadResult {
    var parser = XMLPullParser(limits: limits)
    var result = ReadResult()
    var offset = 0
    func feedNext() {
        let count = min(chunkSize, bytes.count - offset)
        parser.feed(Array(bytes[offset..<offset + count]))
        offset += count
    }
    if feedFirst {
        while offset < bytes.count { feedNext() }
        parser.finish()
    }
    do {
        reading: while true {
            switch try parser.next() {
            case .event(let event):
                result.events.append(event)
            case .needInput:
                if feedFirst { invariant.fail("needInput after finish()") }
                if offset < bytes.count { feedNext() } else { parser.finish() }
            case .end:
                break reading
            }
        }
        // (b) the end is sticky.
        if (try? parser.next()) != .end { invariant.fail("no .end on the call after .end") }
    } catch {
        result.error = error
        // (b) the failure is sticky.
        do {
            _ = try parser.next()
            invariant.fail("no error on the call after \(error)")
        } catch let again {
            if again != error { invariant.fail("a different error on the second call: \(again) after \(error)") }
        }
    }
    result.position = parser.position
    return result
}

/// (c) What any event sequence from the parser must look like.
private func checkWellFormed(_ result: ReadResult, limits: XMLLimits) {
    var open: [(String, String?)] = []
    var roots = 0
    var previousWasText = false
    for event in result.events {
        switch event {
        case .startElement(let name, let prefix, let attributes):
            if open.isEmpty { roots += 1 }
            open.append((name, prefix))
            if open.count > limits.maxDepth { invariant.fail("depth \(open.count) over the limit") }
            if attributes.count > limits.maxAttributes {
                invariant.fail("\(attributes.count) attributes over the limit")
            }
            checkName(name, prefix, limits: limits)
            for (index, attribute) in attributes.enumerated() {
                checkName(attribute.name, attribute.prefix, limits: limits)
                if attribute.value.utf8.count > limits.maxTextBytes { invariant.fail("attribute value over the limit") }
                if attributes[..<index].contains(where: { $0.name == attribute.name && $0.prefix == attribute.prefix })
                {
                    invariant.fail("duplicate attribute \(attribute.name)")
                }
            }
            previousWasText = false
        case .endElement(let name, let prefix):
            guard let last = open.popLast(), last == (name, prefix) else {
                invariant.fail("end tag \(name) does not match")
            }
            previousWasText = false
        case .text(let content):
            if open.isEmpty { invariant.fail("text outside the root") }
            if content.isEmpty { invariant.fail("empty text") }
            if previousWasText { invariant.fail("two texts in a row") }
            if content.utf8.count > limits.maxTextBytes { invariant.fail("text over the limit") }
            if content.utf8.contains(0) { invariant.fail("NUL in text") }
            previousWasText = true
        }
    }
    if roots > 1 { invariant.fail("\(roots) root elements") }
    if result.error == nil && (roots != 1 || !open.isEmpty) { invariant.fail("document ended without one closed root") }
}

private func checkName(_ name: String, _ prefix: String?, limits: XMLLimits) {
    let count = name.utf8.count + (prefix.map { $0.utf8.count + 1 } ?? 0)
    if name.isEmpty || prefix?.isEmpty == true || name.contains(":") || prefix?.contains(":") == true {
        invariant.fail("malformed name \(prefix ?? ""):\(name)")
    }
    if count > limits.maxNameBytes { invariant.fail("name over the limit") }
}

/// (d) The events as XML: text and values escaped, tabs and line ends in values as references.
private func write(_ events: [XMLEvent]) -> [UInt8] {
    var out = ""
    func qualified(_ name: String, _ prefix: String?) -> String { prefix.map { "\($0):\(name)" } ?? name }
    for event in events {
        switch event {
        case .startElement(let name, let prefix, let attributes):
            out += "<" + qualified(name, prefix)
            for attribute in attributes {
                out +=
                    " \(qualified(attribute.name, attribute.prefix))=\"\(escape(attribute.value, inAttribute: true))\""
            }
            out += ">"
        case .endElement(let name, let prefix):
            out += "</\(qualified(name, prefix))>"
        case .text(let content):
            out += escape(content, inAttribute: false)
        }
    }
    return Array(out.utf8)
}

private func escape(_ text: String, inAttribute: Bool) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"" where inAttribute: out += "&quot;"
        case "\t" where inAttribute: out += "&#9;"
        case "\n" where inAttribute: out += "&#10;"
        case "\r": out += "&#13;"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}

private func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
        .joined(separator: " ")
}

private func describe(_ result: ReadResult) -> String {
    var lines = ["error \(result.error.map { "\($0)" } ?? "none"), position \(result.position)"]
    lines += result.events.map { "  \($0)" }
    return lines.joined(separator: "\n")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size >= 1 else { return 0 }
    let control = data[0]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let chunkSize = chunkSizes[Int(control & 0x7)]
    let limits = limitChoices[Int(control >> 3 & 0x3)]
    let feedFirst = control & 0x20 != 0

    // (a) chunking never changes what is read.
    let whole = read(bytes, limits: limits, chunkSize: .max)
    let single = read(bytes, limits: limits, chunkSize: 1)
    invariant.check(
        whole == single, "whole and byte by byte read differently", expected: whole, got: single, describe: describe)
    let chosen = read(bytes, limits: limits, chunkSize: chunkSize, feedFirst: feedFirst)
    invariant.check(
        whole == chosen, "whole and chunks of \(chunkSize) read differently", expected: whole, got: chosen,
        describe: describe)

    // (c) the events make sense.
    checkWellFormed(whole, limits: limits)

    // (d) what was read is written and read back unchanged.
    guard whole.error == nil else { return 0 }
    let written = write(whole.events)
    var back = read(written, limits: XMLLimits(), chunkSize: chunkSize)
    back.position = whole.position
    if invariant.verbose && back != whole {
        fputs("--- written\n\(String(decoding: written, as: UTF8.self))\n", stderr)
    }
    invariant.check(
        back == whole, "write-read round trip changed the events", expected: whole, got: back, describe: describe)
    return 0
}
