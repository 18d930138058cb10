/// A token bucket on the monotonic clock: `ratePerSecond` tokens arrive continuously up to `burst`.
///
/// Two ways to spend them. A request admitted or refused on the spot (a tenant's API limit)
/// calls `take`, which leaves the bucket as it was when there is no token. A call that waits for
/// its turn (a provider's rate limit) calls `reserve`, which always takes one, possibly going into
/// debt, and says how long to wait. A provider's `Retry-After` pauses the bucket, so every caller
/// of the same (tenant, provider) waits, not only the one that was told.
public struct TokenBucket: Sendable, Equatable {
    public private(set) var ratePerSecond: Double
    public private(set) var burst: Double
    private var tokens: Double
    private var updatedAt: UInt64
    private var pausedUntil: UInt64 = 0

    public init(ratePerSecond: Double, burst: Double, now: UInt64) {
        self.ratePerSecond = max(ratePerSecond, 0.001)
        self.burst = max(burst, 1)
        tokens = self.burst
        updatedAt = now
    }

    /// New limits (a reloaded tenant file) keep the tokens already there, up to the new burst.
    public mutating func configure(ratePerSecond: Double, burst: Double) {
        self.ratePerSecond = max(ratePerSecond, 0.001)
        self.burst = max(burst, 1)
        tokens = min(tokens, self.burst)
    }

    /// Takes a token if one is there and returns 0; otherwise takes nothing and returns the
    /// nanoseconds until one will be.
    public mutating func take(now: UInt64) -> UInt64 {
        refill(now: now)
        if pausedUntil > now { return pausedUntil - now }
        guard tokens >= 1 else { return UInt64(((1 - tokens) / ratePerSecond * 1e9).rounded(.up)) }
        tokens -= 1
        return 0
    }

    /// Takes a token now if one is there and returns 0; otherwise reserves the next one and returns
    /// the nanoseconds the caller must wait before using it.
    public mutating func reserve(now: UInt64) -> UInt64 {
        refill(now: now)
        let pauseWait = pausedUntil > now ? pausedUntil - now : 0
        tokens -= 1
        guard tokens < 0 else { return pauseWait }
        let refillWait = UInt64((-tokens / ratePerSecond) * 1e9)
        return max(pauseWait, refillWait)
    }

    /// Gives back a token reserved by a caller that then gave up waiting.
    public mutating func cancelReservation() {
        tokens = min(burst, tokens + 1)
    }

    /// No token is handed out before `until` (a provider said Retry-After).
    public mutating func pause(until: UInt64) {
        pausedUntil = max(pausedUntil, until)
    }

    private mutating func refill(now: UInt64) {
        guard now > updatedAt else { return }
        tokens = min(burst, tokens + Double(now - updatedAt) / 1e9 * ratePerSecond)
        updatedAt = now
    }
}
