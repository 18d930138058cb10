/// How many attempts a call gets and how long to wait between them: exponential backoff with
/// full jitter (a uniform wait between zero and the exponential cap), which spreads retries of
/// many callers over time instead of synchronising them.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in total, the first included; 1 disables retries.
    public var maxAttempts: Int
    /// The cap for the first retry; it doubles with each further retry.
    public var baseDelaySeconds: Double
    public var maxDelaySeconds: Double
    /// A `Retry-After` longer than this is not waited for here: the call fails `rateLimited` and
    /// the engine reschedules the step instead of holding a task.
    public var maxRetryAfterSeconds: Double

    public init(maxAttempts: Int = 3, baseDelaySeconds: Double = 0.1, maxDelaySeconds: Double = 2,
                maxRetryAfterSeconds: Double = 10) {
        self.maxAttempts = maxAttempts
        self.baseDelaySeconds = baseDelaySeconds
        self.maxDelaySeconds = maxDelaySeconds
        self.maxRetryAfterSeconds = maxRetryAfterSeconds
    }

    /// The wait before retry number `retry` (1 for the first retry): uniform in
    /// `0 ..< min(maxDelay, base * 2^(retry-1))`, `unit` being a random number in `0..<1`.
    public func backoffSeconds(beforeRetry retry: Int, unit: Double) -> Double {
        let exponent = min(max(retry - 1, 0), 30)
        let cap = min(maxDelaySeconds, baseDelaySeconds * Double(1 << exponent))
        return cap * min(max(unit, 0), 1)
    }
}
