import Model
import Native
import Synchronization
import Testing
@testable import Integration

/// The retry loop with a manual clock and scripted attempts: which failures are retried, how long
/// it waits, when it gives up, and what it records.
@Suite(.timeLimit(.minutes(1)))
struct ExecutionTests {
    let clock = ManualClock()
    let metrics = MetricsRegistry()
    let log = ProviderCallLog()
    let runtime: IntegrationRuntime

    init() throws {
        runtime = IntegrationRuntime(client: try HTTPClient(), metrics: metrics, clock: clock, random: FixedRandom(unit: 0.5))
    }

    func operation(_ safety: RetrySafety, policy: ResiliencePolicy = testPolicy(maxAttempts: 4)) -> ProviderOperation {
        ProviderOperation(provider: "test", integration: "svc", name: "op", safety: safety, policy: policy, secrets: ["s3cr3t-value"])
    }

    func context(deadlineSeconds: Double = 60) -> CallContext {
        CallContext(tenant: "acme", idempotencyKey: "i:s", deadline: clock.deadline(in: deadlineSeconds), recorder: log)
    }

    static func failure(_ kind: ProviderError.Kind, status: Int? = 500, retryAfter: Double? = nil, taken: Bool = true) -> ProviderError {
        ProviderError(kind: kind, provider: "test", operation: "op", status: status, message: "failed with s3cr3t-value",
                      retryAfterSeconds: retryAfter, mayHaveTakenEffect: taken)
    }

    /// Runs with attempts answering from `script` in order (the last repeats); returns the value or error and the attempt count.
    func run(_ operation: ProviderOperation, context: CallContext? = nil,
             _ script: [Result<String, any Error>]) async -> (Result<String, any Error>, Int) {
        let calls = Mutex(0)
        let result: Result<String, any Error>
        do {
            let value = try await runtime.execute(operation, method: "POST", url: "https://api.example/v1/x?api_key=abc",
                                                  context: context ?? self.context()) { _, _ in
                let index = calls.withLock { count in
                    count += 1
                    return count - 1
                }
                switch script[min(index, script.count - 1)] {
                case .success(let value): return (200, .success(value))
                case .failure(let error as ProviderError): return (error.status, .failure(error))
                case .failure(let error): throw error
                }
            }
            result = .success(value)
        } catch {
            result = .failure(error)
        }
        return (result, calls.withLock { $0 })
    }

    @Test func idempotentCall_isRetriedWithBackoffUntilItSucceeds() async throws {
        let (result, attempts) = await run(operation(.idempotent), [.failure(Self.failure(.retryable)), .failure(Self.failure(.timeout, status: nil)),
                                                                   .success("ok")])
        #expect(try result.get() == "ok")
        #expect(attempts == 3)
        // Full jitter with unit 0.5: half of 10 ms, then half of 20 ms.
        #expect(clock.sleeps == [0.005, 0.01])
        let record = try #require(log.records.first)
        #expect(record.attempts == 3)
        #expect(record.succeeded)
        #expect(record.url == "https://api.example/v1/x?api_key=[redacted]")
        #expect(metrics.render().contains("switchboard_provider_retries_total{tenant=\"acme\",provider=\"svc\"} 2"))
    }

    @Test func unsafeCall_isNotRetriedWhenTheEffectMayHaveHappened() async {
        let (result, attempts) = await run(operation(.unsafe), [.failure(Self.failure(.retryable)), .success("ok")])
        #expect(attempts == 1)
        #expect((try? result.get()) == nil)
        #expect(log.records.first?.errorKind == .retryable)
    }

    @Test func unsafeCall_isRetriedWhenNothingWasSent() async throws {
        let refused = CurlError(code: 7, kind: .connect, message: "Connection refused", endpoint: "https://api.example", requestWasSent: false)
        let (result, attempts) = await run(operation(.unsafe), [.failure(refused), .success("ok")])
        #expect(try result.get() == "ok")
        #expect(attempts == 2)
    }

    @Test func rateLimit_waitsForRetryAfter_andGivesUpOnLongOnes() async throws {
        let (result, attempts) = await run(operation(.unsafe), [.failure(Self.failure(.rateLimited, status: 429, retryAfter: 2, taken: false)),
                                                                .success("ok")])
        #expect(try result.get() == "ok")
        #expect(attempts == 2)
        #expect(clock.sleeps == [2])

        let (long, longAttempts) = await run(operation(.idempotent), [.failure(Self.failure(.rateLimited, status: 429, retryAfter: 60, taken: false))])
        #expect(longAttempts == 1)
        #expect((long.failure as? ProviderError)?.retryAfterSeconds == 60)
    }

    @Test func timeoutOfTheTransfer_isClassifiedAsTimeout() async {
        let timedOut = CurlError(code: 28, kind: .timeout, message: "Operation timed out", endpoint: "https://api.example", requestWasSent: true)
        let (result, attempts) = await run(operation(.unsafe), [.failure(timedOut)])
        #expect(attempts == 1)
        let error = result.failure as? ProviderError
        #expect(error?.kind == .timeout)
        #expect(error?.mayHaveTakenEffect == true)
    }

    @Test func deadline_stopsRetriesThatWouldNotFit_andCallsThatCannotStart() async {
        var policy = testPolicy(maxAttempts: 5)
        policy.retry = RetryPolicy(maxAttempts: 5, baseDelaySeconds: 4, maxDelaySeconds: 8)
        let (_, attempts) = await run(operation(.idempotent, policy: policy), context: context(deadlineSeconds: 3),
                                      [.failure(Self.failure(.retryable))])
        // The first backoff (2 s with unit 0.5) fits in 3 s, the second (4 s) does not.
        #expect(attempts == 2)

        let (late, lateAttempts) = await run(operation(.idempotent), context: context(deadlineSeconds: 0), [.success("ok")])
        #expect(lateAttempts == 0)
        #expect((late.failure as? ProviderError)?.kind == .timeout)
    }

    @Test func retryBudget_limitsRetriesOfAFailingProvider() async {
        var policy = testPolicy(maxAttempts: 3)
        policy.retryBudgetMaxTokens = 2
        policy.breaker = CircuitBreaker.Configuration(minimumCalls: 1000)
        var total = 0
        var last: ProviderError?
        for _ in 0..<10 {
            let (result, attempts) = await run(operation(.idempotent, policy: policy), [.failure(Self.failure(.retryable))])
            total += attempts
            last = result.failure as? ProviderError
        }
        // A retry the budget refused says so (before: only the provider's own error).
        #expect(last?.message.contains("not retried now: the retry budget for svc is spent") == true, "\(last?.message ?? "")")
        #expect((last?.retryAfterSeconds ?? 0) > 0)
        // Ten calls, two retries from the budget, none after.
        #expect(total == 12)
        #expect(metrics.render().contains("switchboard_provider_retry_budget_exhausted_total{tenant=\"acme\",provider=\"svc\"} 9"))
    }

    @Test func breaker_opensAfterFailures_rejectsWithoutCalling_thenProbes() async throws {
        var policy = testPolicy(maxAttempts: 1, breaker: CircuitBreaker.Configuration(windowSeconds: 30, minimumCalls: 4, failureRatio: 0.5,
                                                                                      openSeconds: 10, successesToClose: 1))
        policy.retryBudgetMaxTokens = 0
        for _ in 0..<4 { _ = await run(operation(.idempotent, policy: policy), [.failure(Self.failure(.retryable))]) }
        let (rejected, attempts) = await run(operation(.idempotent, policy: policy), [.success("ok")])
        #expect(attempts == 0)
        let error = rejected.failure as? ProviderError
        #expect(error?.kind == .circuitOpen)
        #expect(error?.retryAfterSeconds == 10)
        #expect(metrics.render().contains("switchboard_provider_breaker_state{tenant=\"acme\",provider=\"svc\"} 1"))
        clock.advance(seconds: 10)
        let (probe, probeAttempts) = await run(operation(.idempotent, policy: policy), [.success("ok")])
        #expect(try probe.get() == "ok")
        #expect(probeAttempts == 1)
        #expect(metrics.render().contains("switchboard_provider_breaker_state{tenant=\"acme\",provider=\"svc\"} 0"))
    }

    @Test func clientErrors_doNotOpenTheBreaker() async {
        let policy = testPolicy(maxAttempts: 1, breaker: CircuitBreaker.Configuration(minimumCalls: 2, failureRatio: 0.5))
        for _ in 0..<6 { _ = await run(operation(.idempotent, policy: policy), [.failure(Self.failure(.notFound, status: 404))]) }
        let (_, attempts) = await run(operation(.idempotent, policy: policy), [.success("ok")])
        #expect(attempts == 1)
    }

    @Test func tokenBucket_makesTheSecondCallWait() async throws {
        var policy = testPolicy()
        policy.rateLimit = ResiliencePolicy.RateLimit(ratePerSecond: 1, burst: 1)
        _ = await run(operation(.idempotent, policy: policy), [.success("a")])
        _ = await run(operation(.idempotent, policy: policy), [.success("b")])
        #expect(clock.sleeps == [1])
        #expect(metrics.render().contains("switchboard_provider_rate_limit_waits_total{tenant=\"acme\",provider=\"svc\"} 1"))
    }

    @Test func cancellation_isRethrownAndRecordedAsCancelled() async {
        let (result, _) = await run(operation(.unsafe), [.failure(CancellationError())])
        #expect(result.failure is CancellationError)
        #expect(log.records.first?.wasCancelled == true)
        #expect(log.records.first?.succeeded == false)
    }

    @Test func messages_areScrubbedOfTheAdaptersSecrets() async {
        let (result, _) = await run(operation(.unsafe), [.failure(Self.failure(.permanent, status: 400))])
        #expect((result.failure as? ProviderError)?.message == "failed with [redacted]")
        #expect(log.records.first?.errorMessage == "failed with [redacted]")
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
