import Model
import Native

/// What every adapter shares: the HTTP client, the resilience state per (tenant, provider), the
/// metrics they report, and the clock and randomness the state machines use.
///
/// Create one per process and pass it to every adapter:
/// ```swift
/// let runtime = try IntegrationRuntime(metrics: registry)
/// let payments = StripePayments(configuration: .init(baseURL: "https://api.stripe.com", secretKey: key), runtime: runtime)
/// ```
public final class IntegrationRuntime: Sendable {
    public let client: HTTPClient
    public let resilience: ResilienceRegistry
    let clock: any ResilienceClock
    let random: any RandomSource
    let logger = Logger(label: "integration")

    public init(client: HTTPClient, metrics: MetricsRegistry, clock: any ResilienceClock = SystemResilienceClock(),
                random: any RandomSource = SystemRandomSource()) {
        self.client = client
        resilience = ResilienceRegistry(metrics: metrics)
        self.clock = clock
        self.random = random
        client.registerMetrics(on: metrics)
    }

    /// A runtime with its own HTTP client (one libcurl driver thread).
    ///
    /// - Throws: `SystemError` when the client's driver cannot start.
    public convenience init(metrics: MetricsRegistry) throws {
        self.init(client: try HTTPClient(), metrics: metrics)
    }

    /// Sends `request` under `operation`'s policy and turns the response into a value or a
    /// `ProviderError` with `interpret`.
    func perform<Value: Sendable>(_ operation: ProviderOperation, _ request: HTTPClient.Request, context: CallContext,
                                  interpret: @escaping @Sendable (HTTPClient.Response) -> Result<Value, ProviderError>)
        async throws -> Value {
        let client = self.client
        return try await execute(operation, method: request.method, url: request.url, context: context) { timeout, connectTimeout in
            var attempt = request
            attempt.timeoutSeconds = timeout
            attempt.connectTimeoutSeconds = min(connectTimeout, timeout)
            let response = try await client.send(attempt)
            return (response.status, interpret(response))
        }
    }
}
