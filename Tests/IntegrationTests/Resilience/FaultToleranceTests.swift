import Integration
import Model
import Native
import Sandbox
import Synchronization
import Testing

/// Resilience over real HTTP against a faulty sandbox: a failing provider is shielded by the
/// breaker, Retry-After is honoured, and a slow provider's calls end as timeouts.
@Suite(.timeLimit(.minutes(1)))
struct FaultToleranceTests {
    /// A provider answering 500 to everything, called by 8 tasks in a loop until they have made
    /// 400 calls between them (or 10 s have passed).
    ///
    /// Bound on what the provider receives in T seconds (CircuitBreaker's doc): minimumCalls +
    /// (C - 1) + halfOpenProbes * ceil(T / openSeconds), retries included (each retry passes the
    /// breaker too): 21 attempts for T = 2 s. Without the breaker every call would reach it, at
    /// least 400 attempts. The loop counts calls rather than time so that a loaded machine, whose
    /// calls are slow, still makes enough of them to meet the open breaker.
    @Test func failingProvider_opensTheBreaker_andTheCallsItReceivesStayBounded() async throws {
        let fixture = try SandboxFixture()
        fixture.sandbox.addFault(FaultRule(method: "GET", pathPrefix: "/stripe/v1/payment_intents", errorRate: 1, errorStatus: 500))
        let breaker = CircuitBreaker.Configuration(windowSeconds: 30, minimumCalls: 10, failureRatio: 0.5, openSeconds: 0.5,
                                                   halfOpenProbes: 1, successesToClose: 2)
        let stripe = fixture.stripe(policy: testPolicy(maxAttempts: 3, breaker: breaker))
        let concurrency = 8
        let calls = 400
        let outcomes = Tally()
        let started = Clock.monotonicNanos()
        let end = started + 10_000_000_000
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    while outcomes.total < calls, Clock.monotonicNanos() < end {
                        do {
                            _ = try await stripe.retrievePaymentIntent(id: "pi_x", context: CallContext(tenant: "acme", idempotencyKey: "k"))
                        } catch let error as ProviderError {
                            outcomes.add(error.kind)
                            if error.kind == .circuitOpen { try? await Task.sleep(nanoseconds: 1_000_000) }
                        } catch {}
                    }
                }
            }
        }
        let seconds = Double(Clock.monotonicNanos() - started) / 1e9
        let received = fixture.sandbox.requestCounts["GET /stripe/v1/payment_intents/{id}"] ?? 0
        let bound = breaker.minimumCalls + (concurrency - 1) + breaker.halfOpenProbes * Int((seconds / breaker.openSeconds).rounded(.up))
        let rejected = outcomes.count(.circuitOpen)
        print("breaker bound: provider received \(received) attempts for \(outcomes.total) calls in \(seconds) s with \(concurrency) callers "
              + "(bound \(bound)); \(rejected) calls refused without reaching it")
        // More calls than the bound lets through: the breaker refused the rest.
        #expect(outcomes.total > bound, "the loop ran out of time after \(outcomes.total) calls")
        #expect(received >= breaker.minimumCalls)
        #expect(received <= bound)
        // Every call the provider did not see was refused by the breaker, and counted as such.
        #expect(rejected >= outcomes.total - received)
        #expect(fixture.metrics.render().contains("switchboard_provider_breaker_rejections_total{tenant=\"acme\",provider=\"stripe\"} \(rejected)"))
        try await fixture.stop()
    }

    @Test func retryAfter_isHonoured_andHoldsOtherCallersOfTheSameProvider() async throws {
        let fixture = try SandboxFixture()
        fixture.sandbox.addFault(FaultRule(method: "POST", pathPrefix: "/stripe/v1/payment_intents", rateLimitRate: 1, retryAfterSeconds: 1,
                                           times: 1))
        var policy = testPolicy(maxAttempts: 3)
        policy.rateLimit = ResiliencePolicy.RateLimit(ratePerSecond: 100, burst: 100)
        let stripe = fixture.stripe(policy: policy)
        let started = Clock.monotonicNanos()
        let first = Task {
            try await stripe.createPaymentIntent(PaymentIntentRequest(amount: 100, currency: "usd"), context: fixture.context("i-1:charge"))
        }
        try await Task.sleep(nanoseconds: 200_000_000)
        _ = try await stripe.retrievePaymentIntent(id: try await first.value.id, context: fixture.context())
        let total = Double(Clock.monotonicNanos() - started) / 1e9
        #expect(total >= 0.95)
        let record = try #require(fixture.log.records.first { $0.operation == "createPaymentIntent" })
        #expect(record.attempts == 2)
        #expect(record.succeeded)
        #expect(fixture.metrics.render().contains("switchboard_provider_rate_limit_waits_total{tenant=\"acme\",provider=\"stripe\"}"))
        try await fixture.stop()
    }

    @Test func pausedProvider_holdsAConcurrentCaller() async throws {
        let fixture = try SandboxFixture()
        fixture.sandbox.addFault(FaultRule(method: "POST", pathPrefix: "/hubspot/crm/v3/objects/contacts/search", rateLimitRate: 1,
                                           retryAfterSeconds: 1, times: 1))
        var policy = testPolicy(maxAttempts: 3)
        policy.rateLimit = ResiliencePolicy.RateLimit(ratePerSecond: 100, burst: 100)
        let crm = fixture.hubspot(policy: policy)
        let first = Task { try await crm.searchContact(.email("a@example.com"), context: fixture.context()) }
        // Wait until the first search reached the sandbox (and had a moment to read its 429).
        while fixture.sandbox.requestCounts["POST /hubspot/crm/v3/objects/contacts/search"] == nil {
            try await Task.sleep(nanoseconds: 5_000_000)
        }
        try await Task.sleep(nanoseconds: 150_000_000)
        let started = Clock.monotonicNanos()
        _ = try await crm.searchContact(.email("b@example.com"), context: fixture.context())
        let waited = Double(Clock.monotonicNanos() - started) / 1e9
        _ = try await first.value
        // HubSpot's SECONDLY 429 paused the bucket for about a second: the second search waited too.
        #expect(waited >= 0.4)
        try await fixture.stop()
    }

    @Test func slowProvider_isATimeout_perAttemptAndPerDeadline() async throws {
        let fixture = try SandboxFixture()
        // The provider would take 4 s; both calls must end before that. (Not a tighter bound: on a
        // loaded machine the test's own task can wait over 2 s for a thread.)
        fixture.sandbox.addFault(FaultRule(pathPrefix: "/hubspot", latencyMillis: 4000))
        let started = Clock.monotonicNanos()
        let attemptError = await #expect(throws: ProviderError.self) {
            try await fixture.hubspot(policy: testPolicy(maxAttempts: 1, attemptTimeout: 0.2)).searchContact(.email("a@example.com"),
                                                                                                            context: fixture.context())
        }
        #expect(attemptError?.kind == .timeout)
        #expect(Double(Clock.monotonicNanos() - started) / 1e9 < 3.9)

        let deadlineError = await #expect(throws: ProviderError.self) {
            try await fixture.hubspot(policy: testPolicy(maxAttempts: 3)).searchContact(.email("a@example.com"), context: fixture.context(timeout: 0.3))
        }
        #expect(deadlineError?.kind == .timeout)
        #expect(fixture.log.records.last?.errorKind == .timeout)
        try await fixture.stop()
    }

    @Test func unreachableProvider_isRetryableAndNothingWasSent() async throws {
        let runtime = try IntegrationRuntime(metrics: MetricsRegistry())
        let twilio = TwilioMessaging(configuration: .init(baseURL: "http://127.0.0.1:1", accountSID: SandboxFixture.twilioSID, authToken: "t",
                                                          policy: testPolicy(maxAttempts: 2)), runtime: runtime)
        let log = ProviderCallLog()
        let error = await #expect(throws: ProviderError.self) {
            try await twilio.sendSMS(TwilioMessagingTests.message, context: CallContext(tenant: "acme", idempotencyKey: "k", recorder: log))
        }
        #expect(error?.kind == .retryable)
        #expect(error?.mayHaveTakenEffect == false)
        // Nothing left the machine, so even an SMS send was tried again.
        #expect(log.records.first?.attempts == 2)
        runtime.client.shutdown()
    }
}

/// Counts failures by kind across tasks.
final class Tally: Sendable {
    private let counts = Mutex<[ProviderError.Kind: Int]>([:])

    func add(_ kind: ProviderError.Kind) { counts.withLock { $0[kind, default: 0] += 1 } }

    func count(_ kind: ProviderError.Kind) -> Int { counts.withLock { $0[kind] ?? 0 } }

    var total: Int { counts.withLock { $0.values.reduce(0, +) } }
}
