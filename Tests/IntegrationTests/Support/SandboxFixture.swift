import HTTP
import Integration
import Model
import Native
import Sandbox

/// A sandbox on a free port and a runtime whose adapters point at it; one per test.
final class SandboxFixture: Sendable {
    let sandbox: SandboxServer
    let runtime: IntegrationRuntime
    let metrics = MetricsRegistry()
    let log = ProviderCallLog()

    static let stripeKey = "sk_test_switchboard_fixture"
    static let twilioSID = "AC0123456789abcdef0123456789abcdef"
    static let twilioToken = "twilio-fixture-token"
    static let hubspotToken = "pat-na1-fixture-token"
    static let calcomKey = "cal_test_fixture_key"

    init(configure: (inout SandboxServer.Configuration) -> Void = { _ in }, clock: any ResilienceClock = SystemResilienceClock()) throws {
        var configuration = SandboxServer.Configuration()
        configure(&configuration)
        sandbox = try SandboxServer(configuration: configuration)
        try sandbox.start()
        runtime = IntegrationRuntime(client: try HTTPClient(), metrics: metrics, clock: clock)
    }

    var baseURL: String { sandbox.baseURL }

    func context(_ key: String = "interaction-1:step", tenant: String = "acme", timeout: Double = 10) -> CallContext {
        CallContext(tenant: tenant, idempotencyKey: key, timeoutSeconds: timeout, recorder: log)
    }

    func stripe(key: String = SandboxFixture.stripeKey, policy: ResiliencePolicy = .stripe) -> StripePayments {
        StripePayments(configuration: .init(baseURL: baseURL + "/stripe", secretKey: key, policy: policy), runtime: runtime)
    }

    func twilio(token: String = SandboxFixture.twilioToken, policy: ResiliencePolicy = .twilio) -> TwilioMessaging {
        TwilioMessaging(configuration: .init(baseURL: baseURL + "/twilio", accountSID: Self.twilioSID, authToken: token, policy: policy),
                        runtime: runtime)
    }

    func hubspot(token: String = SandboxFixture.hubspotToken, policy: ResiliencePolicy = .hubspot) -> HubSpotCRM {
        HubSpotCRM(configuration: .init(baseURL: baseURL + "/hubspot", accessToken: token, policy: policy), runtime: runtime)
    }

    func calcom(key: String = SandboxFixture.calcomKey, policy: ResiliencePolicy = .calcom) -> CalComScheduling {
        CalComScheduling(configuration: .init(baseURL: baseURL + "/calcom", apiKey: key, policy: policy), runtime: runtime)
    }

    func slack(token: String = "fixture-webhook-secret", policy: ResiliencePolicy = .slack) -> SlackNotifier {
        SlackNotifier(configuration: .init(webhookURL: baseURL + "/slack/services/T0001/B0001/\(token)", policy: policy), runtime: runtime)
    }

    func stop() async throws {
        runtime.client.shutdown()
        sandbox.shutdown()
        try await offPool { self.sandbox.waitUntilStopped() }
    }
}

/// Runs blocking work on a fresh thread and awaits its result.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        NativeThread.spawn(name: "test-io") { continuation.resume(with: Result { try body() }) }
    }
}

/// A policy without rate limit and with quick retries, for tests that count attempts. Its attempt
/// timeout is long (15 s): on a loaded machine the in-process sandbox once took over 5 s to
/// answer, and tests that mean a timeout ask for one.
func testPolicy(maxAttempts: Int = 3, breaker: CircuitBreaker.Configuration = CircuitBreaker.Configuration(),
                attemptTimeout: Double = 15) -> ResiliencePolicy {
    ResiliencePolicy(attemptTimeoutSeconds: attemptTimeout, connectTimeoutSeconds: 2,
                     retry: RetryPolicy(maxAttempts: maxAttempts, baseDelaySeconds: 0.01, maxDelaySeconds: 0.05, maxRetryAfterSeconds: 5),
                     breaker: breaker, rateLimit: nil)
}
