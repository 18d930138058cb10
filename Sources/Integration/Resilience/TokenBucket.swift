/// A token bucket: `ratePerSecond` tokens arrive continuously up to `burst`; each call takes one.
/// A provider's `Retry-After` pauses the bucket, so every caller of the same (tenant, provider)
/// waits, not only the one that was told.
public struct TokenBucket: Sendable, Equatable {
    public var ratePerSecond: Double
    public var burst: Double
    private var tokens: Double
    private var updatedAt: UInt64
    private var pausedUntil: UInt64 = 0

    public init(ratePerSecond: Double, burst: Double, now: UInt64) {
        self.ratePerSecond = max(ratePerSecond, 0.001)
        self.burst = max(burst, 1)
        tokens = self.burst
        updatedAt = now
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
