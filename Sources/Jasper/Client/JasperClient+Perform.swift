import HTTP

extension JasperClient {
    /// Sends one call, paced by the limiter and retried per the policy; returns the 2xx response.
    ///
    /// A PUT whose answer was lost is not sent again (the policy's rule for edits); once the gate
    /// is closed no attempt starts.
    func perform(
        method: String, path: String, query: [String: String] = [:], body: [UInt8] = []
    ) async throws(JasperError) -> HTTPResponse {
        let call = "\(method) \(path)"
        let request = makeRequest(method: method, path: path, query: query, body: body)
        let started = limiter.clock.now
        var attempt = 1
        while true {
            if gate?.isClosed == true { throw .stopped(call: call) }
            do {
                try await limiter.acquire()
            } catch {
                throw .cancelled(call: call)
            }
            if gate?.isClosed == true {
                await limiter.release(throttled: false)
                throw .stopped(call: call)
            }
            // Taken last, right before the call goes out: a call taken from the shared budget
            // starts at once, so the account's second holds no more calls than the budget gave.
            do {
                try await budget?.take()
            } catch {
                await limiter.release(throttled: false)
                throw .cancelled(call: call)
            }
            let sentAt = ContinuousClock.now
            let outcome = await send(request, call: call)
            var exchange = JasperExchange(
                call: call, attempt: attempt, requestBody: String(decoding: body, as: UTF8.self), status: nil,
                responseBody: "", error: nil, duration: ContinuousClock.now - sentAt)
            switch outcome {
            case .success(let response):
                exchange.status = response.status
                exchange.responseBody = response.text
                exchange.error = JasperResponseClassifier.error(in: response, call: call)
            case .failure(let error):
                exchange.error = error
            }
            if case .throttled(_, let retryAfter) = exchange.error {
                await limiter.release(throttled: true, retryAfter: retryAfter)
            } else {
                await limiter.release(throttled: false)
            }
            observer?(exchange)
            guard let error = exchange.error else {
                if case .success(let response) = outcome { return response }
                preconditionFailure("an exchange without an error has a response")
            }
            guard
                let delay = account.retry.delay(
                    after: error, attempt: attempt, elapsed: limiter.clock.now - started, isEdit: method == "PUT",
                    randomFraction: .random(in: 0..<1))
            else { throw error }
            do {
                try await limiter.clock.sleep(for: delay)
            } catch {
                throw .cancelled(call: call)
            }
            attempt += 1
        }
    }

    private func send(_ request: HTTPRequest, call: String) async -> Result<HTTPResponse, JasperError> {
        do {
            return .success(try await httpClient.send(request))
        } catch {
            return .failure(JasperResponseClassifier.error(from: error, call: call))
        }
    }

    private func makeRequest(method: String, path: String, query: [String: String], body: [UInt8]) -> HTTPRequest {
        var url = account.baseURL + path
        if !query.isEmpty {
            url +=
                "?"
                + query.sorted { $0.key < $1.key }
                .map { "\(PercentEncoding.encode($0.key))=\(PercentEncoding.encode($0.value))" }
                .joined(separator: "&")
        }
        var headers: HTTPHeaders = ["Accept": "application/json"]
        headers.add("Authorization", account.credentials.authorization)
        if !body.isEmpty { headers.add("Content-Type", "application/json") }
        return HTTPRequest(method: method, target: url, headers: headers, body: body)
    }
}
