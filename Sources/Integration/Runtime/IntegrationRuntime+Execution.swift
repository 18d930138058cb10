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
        let policy = operation.policy
        let startedAt = Clock.unixMillis()
        let start = clock.now()
        let providerGuard = resilience.guardFor(tenant: context.tenant, provider: operation.integration, policy: policy, now: start)
        let metrics = providerGuard.metrics
        var attempts = 0
        var lastStatus: Int?

        func finish(_ error: ProviderError?, cancelled: Bool = false) {
            var call = ProviderCall(tenant: context.tenant, provider: operation.provider, integration: operation.integration,
                                    operation: operation.name, method: method,
                                    url: Redaction.url(url, pathIsSecret: operation.pathIsSecret), status: lastStatus,
                                    attempts: attempts, durationMillis: Int((clock.now() &- start) / 1_000_000),
                                    errorKind: error?.kind, errorMessage: error.map { Redaction.text($0.message, secrets: operation.secrets) },
                                    idempotencyKey: operation.idempotencyKey, startedAt: startedAt)
            call.wasCancelled = cancelled
            if !cancelled { metrics.countCall(error?.kind) }
            context.recorder?.record(call)
            if let error {
                // Refusals of an open circuit come in floods and are counted in /metrics.
                logger.log(error.kind == .circuitOpen ? .debug : .warning, "provider call failed", ["tenant": .string(context.tenant), "provider": .string(operation.provider),
                                                        "integration": .string(operation.integration), "operation": .string(operation.name),
                                                        "kind": .string(error.kind.rawValue), "status": lastStatus.map { .int(Int64($0)) } ?? .null,
                                                        "attempts": .int(Int64(attempts)), "url": .string(call.url),
                                                        "message": .string(call.errorMessage ?? "")])
            }
        }

        func fail(_ kind: ProviderError.Kind, _ message: String, retryAfter: UInt64? = nil) -> ProviderError {
            ProviderError(kind: kind, provider: operation.provider, operation: operation.name, status: nil, message: message,
                          retryAfterSeconds: retryAfter.map { Double($0) / 1e9 }, mayHaveTakenEffect: false)
        }

        while true {
            var now = clock.now()
            let remaining = context.deadline.map { $0 > now ? $0 - now : 0 }
            if let remaining, Double(remaining) / 1e9 < policy.minimumAttemptSeconds {
                let error = fail(.timeout, attempts == 0 ? "the deadline passed before the call could start"
                                                         : "the deadline passed after \(attempts) attempts")
                finish(error)
                throw error
            }
            let decision = providerGuard.admit(now: now)
            if case .reject(let retryAfter) = decision {
                let error = fail(.circuitOpen, "the circuit breaker for \(operation.integration) is open after repeated failures",
                                 retryAfter: retryAfter)
                finish(error)
                throw error
            }
            let isProbe = decision == .allowProbe
            let wait = providerGuard.reserveToken(now: now)
            if wait > 0 {
                if let deadline = context.deadline, now + wait + UInt64(policy.minimumAttemptSeconds * 1e9) > deadline {
                    providerGuard.cancelReservation()
                    providerGuard.record(.ignored, isProbe: isProbe, isFirstAttempt: false, now: now)
                    let error = fail(.rateLimited, "the rate limit for \(operation.integration) leaves no time before the deadline",
                                     retryAfter: wait)
                    finish(error)
                    throw error
                }
                metrics.rateLimitWaits.increment()
                metrics.rateLimitWaitSeconds.observe(seconds: Double(wait) / 1e9)
                do {
                    try await clock.sleep(nanoseconds: wait)
                } catch {
                    providerGuard.record(.ignored, isProbe: isProbe, isFirstAttempt: false, now: clock.now())
                    finish(nil, cancelled: true)
                    throw CancellationError()
                }
                now = clock.now()
            }
            var timeout = policy.attemptTimeoutSeconds
            if let deadline = context.deadline { timeout = min(timeout, Double(deadline > now ? deadline - now : 0) / 1e9) }
            attempts += 1
            let attemptStart = clock.now()
            let outcome: Result<Value, ProviderError>
            do {
                let answer = try await attempt(timeout, policy.connectTimeoutSeconds)
                lastStatus = answer.status
                outcome = answer.result
            } catch let error as CurlError {
                outcome = .failure(classify(error, operation))
            } catch {
                // Cancelled: the effect of an unsafe call is unknown; the record says so.
                providerGuard.record(.ignored, isProbe: isProbe, isFirstAttempt: false, now: clock.now())
                finish(nil, cancelled: true)
                throw error
            }
            now = clock.now()
            metrics.attemptDuration.observe(micros: Int((now &- attemptStart) / 1000))

            switch outcome {
            case .success(let value):
                providerGuard.record(.success, isProbe: isProbe, isFirstAttempt: attempts == 1, now: now)
                finish(nil)
                return value
            case .failure(var error):
                error.message = Redaction.text(error.message, secrets: operation.secrets)
                metrics.countError(error.kind)
                let breakerOutcome: CircuitBreaker.Outcome =
                    error.countsAsProviderFailure ? .failure : (error.kind == .rateLimited ? .ignored : .success)
                providerGuard.record(breakerOutcome, isProbe: isProbe, isFirstAttempt: attempts == 1, now: now)
                if error.kind == .rateLimited, let seconds = error.retryAfterSeconds {
                    providerGuard.pause(until: now + UInt64(seconds * 1e9))
                }
                guard let delay = retryDelay(after: error, attempts: attempts, operation: operation, now: now, context: context),
                      providerGuard.withdrawRetry() else {
                    finish(error)
                    throw error
                }
                metrics.retries.increment()
                logger.debug("retrying provider call", ["provider": .string(operation.provider), "operation": .string(operation.name),
                                                        "kind": .string(error.kind.rawValue), "attempt": .int(Int64(attempts)),
                                                        "delay_ms": .int(Int64(delay / 1_000_000))])
                if error.kind == .rateLimited {
                    metrics.rateLimitWaits.increment()
                    metrics.rateLimitWaitSeconds.observe(seconds: Double(delay) / 1e9)
                }
                do {
                    try await clock.sleep(nanoseconds: delay)
                } catch {
                    finish(nil, cancelled: true)
                    throw CancellationError()
                }
            }
        }
    }

    /// Nanoseconds to wait before retrying after `error`, or nil when it must not be retried now.
    private func retryDelay(after error: ProviderError, attempts: Int, operation: ProviderOperation, now: UInt64,
                            context: CallContext) -> UInt64? {
        let policy = operation.policy
        guard error.isTransient, attempts < policy.retry.maxAttempts else { return nil }
        switch operation.safety {
        case .idempotent, .idempotencyKeyed: break
        case .unsafe: guard !error.mayHaveTakenEffect else { return nil }
        }
        var seconds = policy.retry.backoffSeconds(beforeRetry: attempts, unit: random.nextUnit())
        if let retryAfter = error.retryAfterSeconds {
            guard retryAfter <= policy.retry.maxRetryAfterSeconds else { return nil }
            seconds = max(seconds, retryAfter)
        }
        let delay = UInt64(seconds * 1e9)
        if let deadline = context.deadline, now + delay + UInt64(policy.minimumAttemptSeconds * 1e9) > deadline { return nil }
        return delay
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
