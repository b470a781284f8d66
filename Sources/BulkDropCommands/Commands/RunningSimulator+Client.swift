import HTTP
import Jasper
import JasperSim

extension RunningSimulator {
    /// A client of the simulator's demo account, for the benchmarks.
    func demoClient(
        http: HTTPClient, callsPerSecond: Double, maxInFlight: Int, retry: RetryPolicy = RetryPolicy()
    ) -> JasperClient {
        let user = SimulatorUser.demo
        let account = JasperAccount(
            baseURL: baseURL, credentials: JasperCredentials(username: user.username, apiKey: user.apiKey),
            callsPerSecond: callsPerSecond, maxInFlight: maxInFlight, retry: retry)
        return JasperClient(account: account, http: http)
    }
}
