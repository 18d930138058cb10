import Model
import Native

extension IntegrationRuntime {
    /// The answer of one attempt: the status received (if any) and what it means.
    typealias AttemptResult<Value> = (status: Int?, result: Result<Value, ProviderError>)

    /// Runs one provider call: deadline, circuit breaker, rate limit, attempts with backoff within
    /// the retry budget, metrics, and one `ProviderCall` record for the trace.
    ///
    /// `attempt` gets the timeout and connect timeout for the try; it returns the interpreted
    /// response, or throws `CurlError` (classified here) or `CancellationError`.
    func execute<Value: Sendable>(
        _ operation: ProviderOperation, method: String, url: String, context: CallContext,
        attempt: @Sendable (_ timeoutSeconds: Double, _ connectTimeoutSeconds: Double) async throws -> AttemptResult<Value>
    ) async throws -> Value {
        var run = ProviderCallRun(operation, context: context, method: method, url: url, runtime: self)
        while true {
            let isProbe = try await run.admit()
            let started = clock.now()
            var outcome: Result<Value, ProviderError>
            do {
                let answer = try await attempt(run.attemptTimeoutSeconds, operation.policy.connectTimeoutSeconds)
                run.attempted(status: answer.status)
                outcome = answer.result
            } catch let error as CurlError {
                run.attempted(status: nil)
                outcome = .failure(classify(error, operation))
            } catch {
                // Cancelled: for an unsafe call the effect is unknown; the record says so.
                run.attempted(status: nil)
                run.providerGuard.record(.ignored, isProbe: isProbe, isFirstAttempt: false, now: clock.now())
                throw run.cancelled()
            }
            if case .failure(var error) = outcome {
                error.message = Redaction.text(error.message, secrets: operation.secrets)
                outcome = .failure(error)
            }
            run.count(outcome, isProbe: isProbe, seconds: Double(clock.now() &- started) / 1e9)
            switch outcome {
            case .success(let value):
                run.succeeded()
                return value
            case .failure(let error):
                try await run.retry(after: error)
            }
        }
    }

    /// What a transfer that got no response means for the engine.
    func classify(_ error: CurlError, _ operation: ProviderOperation) -> ProviderError {
        let kind: ProviderError.Kind
        switch error.kind {
        case .timeout: kind = .timeout
        case .connect, .resolve, .transport, .clientStopped, .other: kind = .retryable
        // A handshake cut short may pass; a certificate that does not verify will not.
        case .tls: kind = error.code == 35 ? .retryable : .permanent
        case .invalidRequest: kind = .permanent
        case .rejected: kind = .authFailure
        }
        return ProviderError(kind: kind, provider: operation.provider, operation: operation.name, status: nil,
                             code: "curl_\(error.code)", message: error.message, mayHaveTakenEffect: error.requestWasSent)
    }
}
