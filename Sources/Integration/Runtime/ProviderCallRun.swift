import Model
import Native

/// One provider call in progress: the attempts so far, the guard of its (tenant, provider), and
/// how it is recorded and logged when it ends. `IntegrationRuntime.execute` drives it.
struct ProviderCallRun {
    let operation: ProviderOperation
    let context: CallContext
    let method: String
    let url: String
    let runtime: IntegrationRuntime
    let providerGuard: ProviderGuard
    private let startedAt = Clock.unixMillis()
    private let start: UInt64
    private(set) var attempts = 0
    private(set) var lastStatus: Int?

    init(_ operation: ProviderOperation, context: CallContext, method: String, url: String, runtime: IntegrationRuntime) {
        self.operation = operation
        self.context = context
        self.method = method
        self.url = url
        self.runtime = runtime
        start = runtime.clock.now()
        providerGuard = runtime.resilience.guardFor(tenant: context.tenant, provider: operation.integration, policy: operation.policy,
                                                    now: start)
    }

    private var policy: ResiliencePolicy { operation.policy }
    private var metrics: ProviderMetrics { providerGuard.metrics }
    private var minimumAttemptNanos: UInt64 { UInt64(policy.minimumAttemptSeconds * 1e9) }

    /// Waits until an attempt may start: within the deadline, past the breaker, with a rate-limit
    /// token. Returns whether the attempt is a half-open probe.
    ///
    /// - Throws: `ProviderError` (timeout, circuit open, rate limited; already recorded) or
    ///   `CancellationError`.
    mutating func admit() async throws -> Bool {
        let now = runtime.clock.now()
        if let deadline = context.deadline, deadline < now + minimumAttemptNanos {
            throw finish(failure(.timeout, attempts == 0 ? "the deadline passed before the call could start"
                                                         : "the deadline passed after \(attempts) attempts"))
        }
        let decision = providerGuard.admit(now: now)
        if case .reject(let retryAfter) = decision {
            throw finish(failure(.circuitOpen, "the circuit breaker for \(operation.integration) is open after repeated failures",
                                 retryAfter: retryAfter))
        }
        let isProbe = decision == .allowProbe
        let wait = providerGuard.reserveToken(now: now)
        guard wait > 0 else { return isProbe }
        if let deadline = context.deadline, now + wait + minimumAttemptNanos > deadline {
            providerGuard.cancelReservation()
            providerGuard.record(.ignored, isProbe: isProbe, isFirstAttempt: false, now: now)
            throw finish(failure(.rateLimited, "the rate limit for \(operation.integration) leaves no time before the deadline",
                                 retryAfter: wait))
        }
        metrics.rateLimitWaits.increment()
        metrics.rateLimitWaitSeconds.observe(seconds: Double(wait) / 1e9)
        do {
            try await runtime.clock.sleep(nanoseconds: wait)
        } catch {
            providerGuard.record(.ignored, isProbe: isProbe, isFirstAttempt: false, now: runtime.clock.now())
            throw cancelled()
        }
        return isProbe
    }

    /// The timeout of the next attempt: the policy's, cut to what is left of the deadline.
    var attemptTimeoutSeconds: Double {
        guard let deadline = context.deadline else { return policy.attemptTimeoutSeconds }
        let now = runtime.clock.now()
        return min(policy.attemptTimeoutSeconds, Double(deadline > now ? deadline - now : 0) / 1e9)
    }

    mutating func attempted(status: Int?) {
        attempts += 1
        if let status { lastStatus = status }
    }

    /// Counts an attempt's outcome for the breaker, the budget and the metrics.
    func count(_ outcome: Result<some Sendable, ProviderError>, isProbe: Bool, seconds: Double) {
        metrics.attemptDuration.observe(seconds: seconds)
        let now = runtime.clock.now()
        switch outcome {
        case .success:
            providerGuard.record(.success, isProbe: isProbe, isFirstAttempt: attempts == 1, now: now)
        case .failure(let error):
            metrics.countError(error.kind)
            let breakerOutcome: CircuitBreaker.Outcome =
                error.countsAsProviderFailure ? .failure : (error.kind == .rateLimited ? .ignored : .success)
            providerGuard.record(breakerOutcome, isProbe: isProbe, isFirstAttempt: attempts == 1, now: now)
            if error.kind == .rateLimited, let seconds = error.retryAfterSeconds {
                providerGuard.pause(until: now + UInt64(seconds * 1e9))
            }
        }
    }

    /// Waits before the next attempt after `error`; throws `error` (recorded) when there is none.
    mutating func retry(after error: ProviderError) async throws {
        guard let delay = retryDelay(after: error) else { throw finish(error) }
        guard providerGuard.withdrawRetry() else {
            // Said in the error (and so in the trace): the retry was possible and refused.
            var refused = error
            refused.message += "; not retried now: the retry budget for \(operation.integration) is spent "
                + "(retries may be at most \(Int((policy.retryBudgetRatio * 100).rounded()))% of first attempts while it fails)"
            refused.retryAfterSeconds = max(refused.retryAfterSeconds ?? 0, Double(delay) / 1e9)
            throw finish(refused)
        }
        metrics.retries.increment()
        if error.kind == .rateLimited {
            metrics.rateLimitWaits.increment()
            metrics.rateLimitWaitSeconds.observe(seconds: Double(delay) / 1e9)
        }
        runtime.logger.debug("retrying provider call", ["provider": .string(operation.provider), "operation": .string(operation.name),
                                                        "kind": .string(error.kind.rawValue), "attempt": .int(Int64(attempts)),
                                                        "delay_ms": .int(Int64(delay / 1_000_000))])
        do {
            try await runtime.clock.sleep(nanoseconds: delay)
        } catch {
            throw cancelled()
        }
    }

    /// Nanoseconds to wait before retrying after `error`, or nil when it must not be retried now:
    /// not transient, out of attempts, possibly processed by the provider for an unsafe call, a
    /// Retry-After too long to hold a task for, or no time left before the deadline.
    private func retryDelay(after error: ProviderError) -> UInt64? {
        guard error.isTransient, attempts < policy.retry.maxAttempts else { return nil }
        if operation.safety == .unsafe && error.mayHaveTakenEffect { return nil }
        var seconds = policy.retry.backoffSeconds(beforeRetry: attempts, unit: runtime.random.nextUnit())
        if let retryAfter = error.retryAfterSeconds {
            guard retryAfter <= policy.retry.maxRetryAfterSeconds else { return nil }
            seconds = max(seconds, retryAfter)
        }
        let delay = UInt64(seconds * 1e9)
        if let deadline = context.deadline, runtime.clock.now() + delay + minimumAttemptNanos > deadline { return nil }
        return delay
    }

    func failure(_ kind: ProviderError.Kind, _ message: String, retryAfter: UInt64? = nil) -> ProviderError {
        ProviderError(kind: kind, provider: operation.provider, operation: operation.name, message: message,
                      retryAfterSeconds: retryAfter.map { Double($0) / 1e9 }, mayHaveTakenEffect: false)
    }

    /// Records the call as cancelled and returns the error to throw.
    func cancelled() -> CancellationError {
        record(nil, cancelled: true)
        return CancellationError()
    }

    /// Records the call's success.
    func succeeded() {
        record(nil, cancelled: false)
    }

    /// Records the call's failure and returns `error` to throw.
    func finish(_ error: ProviderError) -> ProviderError {
        record(error, cancelled: false)
        return error
    }

    private func record(_ error: ProviderError?, cancelled: Bool) {
        var call = ProviderCall(tenant: context.tenant, provider: operation.provider, integration: operation.integration,
                                operation: operation.name, method: method, url: Redaction.url(url, pathIsSecret: operation.pathIsSecret),
                                status: lastStatus, attempts: attempts, durationMillis: Int((runtime.clock.now() &- start) / 1_000_000),
                                errorKind: error?.kind, errorMessage: error.map { Redaction.text($0.message, secrets: operation.secrets) },
                                idempotencyKey: operation.idempotencyKey, startedAt: startedAt)
        call.wasCancelled = cancelled
        if !cancelled { metrics.countCall(error?.kind) }
        context.recorder?.record(call)
        guard let error else { return }
        // Refusals of an open circuit come in floods and are counted in /metrics.
        runtime.logger.log(error.kind == .circuitOpen ? .debug : .warning, "provider call failed", [
            "tenant": .string(context.tenant), "provider": .string(operation.provider), "integration": .string(operation.integration),
            "operation": .string(operation.name), "kind": .string(error.kind.rawValue),
            "status": lastStatus.map { .int(Int64($0)) } ?? .null, "attempts": .int(Int64(attempts)), "url": .string(call.url),
            "message": .string(call.errorMessage ?? ""),
        ])
    }
}
