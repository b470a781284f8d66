import Testing
import XMLStream

/// Cases the fuzzer (scripts/fuzz-xml.sh) found, kept as ordinary tests; the inputs themselves
/// are in scripts/fuzz/xml-regressions/.
@Suite("XML fuzz regressions")
struct XMLFuzzRegressionTests {
    @Test func positionAfterAnErrorIsTheErrorsInEveryChunking() throws {
        // `position-after-error`: a text over the limit stopped the scanner in the middle of a
        // chunk, and `position` went on reporting the start of that chunk against the line
        // counted so far: it depended on the chunking, and its column could be 0 or less.
        let input = Array("<x:root b=\"tab\there\r\nline\">\r\n  text &apos;&quot; longer than the limit</x:root>".utf8)
        let limits = XMLLimits(maxTextBytes: 16)
        let results = readEveryChunking(input, limits: limits)
        let error = try #require(results[0].result.error)
        #expect(error.description == "2:7: text or attribute value longer than 16 bytes (XMLLimits.maxTextBytes)")
        for (chunkSize, result) in results {
            #expect(result.position == error.position, "chunk \(chunkSize)")
            #expect(result == results[0].result, "chunk \(chunkSize)")
        }
    }
}
