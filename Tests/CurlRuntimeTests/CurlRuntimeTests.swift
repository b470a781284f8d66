import CurlRuntime
import Dispatch
import Synchronization
import Testing

/// libcurl's process-wide set-up: one outcome, whoever asks and however often.
@Suite("libcurl runtime")
struct CurlRuntimeTests {
    @Test func initializeSucceedsAndAgainIsHarmless() throws {
        try CurlRuntime.initialize()
        try CurlRuntime.initialize()
    }

    @Test func callersOnManyThreadsAtOnceAllSeeTheOneSuccessfulSetUp() {
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            do {
                try CurlRuntime.initialize()
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
    }

    @Test func failureTellsWhatAndHowToFix() {
        let error = CurlRuntimeError.initializationFailed(code: 2, reason: "Failed initialization")
        #expect(
            error.description
                == "cannot initialise libcurl (curl_global_init returned 2: Failed initialization); "
                + "check that libcurl and its TLS library are installed (scripts/setup) and memory is available")
    }
}
