/// Timeouts, retries, retry budget, circuit breaker and rate limit for one integration.
/// The presets follow each provider's documented limits; tenants may override them.
public struct ResiliencePolicy: Sendable, Equatable {
    /// One attempt must finish within this time (and within the caller's deadline).
    public var attemptTimeoutSeconds: Double
    public var connectTimeoutSeconds: Double
    /// An attempt is not started when less than this is left before the deadline.
    public var minimumAttemptSeconds: Double
    public var retry: RetryPolicy
    /// The share of first attempts that retries may add (0.1: at most ~10% extra load).
    public var retryBudgetRatio: Double
    public var retryBudgetMaxTokens: Double
    public var breaker: CircuitBreaker.Configuration
    /// Calls per second and burst for the token bucket; nil for no limit.
    public var rateLimit: RateLimit?

    public struct RateLimit: Sendable, Equatable {
        public var ratePerSecond: Double
        public var burst: Double

        public init(ratePerSecond: Double, burst: Double) {
            self.ratePerSecond = ratePerSecond
            self.burst = burst
        }
    }

    public init(attemptTimeoutSeconds: Double = 10, connectTimeoutSeconds: Double = 3, minimumAttemptSeconds: Double = 0.05,
                retry: RetryPolicy = RetryPolicy(), retryBudgetRatio: Double = 0.1, retryBudgetMaxTokens: Double = 10,
                breaker: CircuitBreaker.Configuration = CircuitBreaker.Configuration(), rateLimit: RateLimit? = nil) {
        self.attemptTimeoutSeconds = attemptTimeoutSeconds
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.minimumAttemptSeconds = minimumAttemptSeconds
        self.retry = retry
        self.retryBudgetRatio = retryBudgetRatio
        self.retryBudgetMaxTokens = retryBudgetMaxTokens
        self.breaker = breaker
        self.rateLimit = rateLimit
    }

    /// Stripe: 25 requests/s per endpoint in test mode, 100 live ("rate limits" docs).
    public static let stripe = ResiliencePolicy(rateLimit: RateLimit(ratePerSecond: 25, burst: 25))
    /// Twilio queues messages itself; 429 (error 20429) means too many concurrent requests.
    public static let twilio = ResiliencePolicy(rateLimit: RateLimit(ratePerSecond: 30, burst: 30))
    /// HubSpot private apps: 100 requests per 10 s; search endpoints 5/s.
    public static let hubspot = ResiliencePolicy(rateLimit: RateLimit(ratePerSecond: 5, burst: 10))
    /// Cal.com API v2 default key limit: 120 requests per minute.
    public static let calcom = ResiliencePolicy(rateLimit: RateLimit(ratePerSecond: 2, burst: 10))
    /// Slack incoming webhooks: about one message per second, short bursts allowed.
    public static let slack = ResiliencePolicy(rateLimit: RateLimit(ratePerSecond: 1, burst: 5))
    /// SMTP: the relay decides; no client-side rate limit, longer attempts.
    public static let smtp = ResiliencePolicy(attemptTimeoutSeconds: 30, connectTimeoutSeconds: 10)
    /// Anything else: no rate limit unless configured.
    public static let generic = ResiliencePolicy()
}
