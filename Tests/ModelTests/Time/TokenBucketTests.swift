import Model
import Testing

/// The token bucket behind tenants' API limits (`take`) and providers' rate limits (`reserve`).
struct TokenBucketTests {
    static let second: UInt64 = 1_000_000_000

    @Test func burstIsImmediate_thenCallsWaitForTheRate() {
        var bucket = TokenBucket(ratePerSecond: 2, burst: 2, now: 0)
        #expect(bucket.reserve(now: 0) == 0)
        #expect(bucket.reserve(now: 0) == 0)
        #expect(bucket.reserve(now: 0) == Self.second / 2)
        #expect(bucket.reserve(now: 0) == Self.second)
        // Tokens come back with time, up to the burst.
        #expect(bucket.reserve(now: 10 * Self.second) == 0)
    }

    @Test func pause_holdsEveryCallerUntilRetryAfter() {
        var bucket = TokenBucket(ratePerSecond: 100, burst: 100, now: 0)
        bucket.pause(until: 3 * Self.second)
        #expect(bucket.reserve(now: Self.second) == 2 * Self.second)
        #expect(bucket.reserve(now: 3 * Self.second) == 0)
    }

    @Test func cancelledReservation_givesTheTokenBack() {
        var bucket = TokenBucket(ratePerSecond: 1, burst: 1, now: 0)
        #expect(bucket.reserve(now: 0) == 0)
        #expect(bucket.reserve(now: 0) == Self.second)
        bucket.cancelReservation()
        #expect(bucket.reserve(now: 0) == Self.second)
    }

    @Test func take_refusesWithoutTakingAndSaysWhenATokenComes() {
        var bucket = TokenBucket(ratePerSecond: 4, burst: 2, now: 0)
        #expect(bucket.take(now: 0) == 0)
        #expect(bucket.take(now: 0) == 0)
        #expect(bucket.take(now: 0) == Self.second / 4)
        // A refusal takes nothing: a quarter of a second later the token is there.
        #expect(bucket.take(now: Self.second / 8) == Self.second / 8)
        #expect(bucket.take(now: Self.second / 4) == 0)
        #expect(bucket.take(now: Self.second / 4) == Self.second / 4)
    }

    @Test func take_waitsOutAPause() {
        var bucket = TokenBucket(ratePerSecond: 100, burst: 100, now: 0)
        bucket.pause(until: 2 * Self.second)
        #expect(bucket.take(now: Self.second) == Self.second)
        #expect(bucket.take(now: 2 * Self.second) == 0)
    }

    @Test func configure_keepsTokensUpToTheNewBurst() {
        var bucket = TokenBucket(ratePerSecond: 1, burst: 10, now: 0)
        bucket.configure(ratePerSecond: 1, burst: 2)
        #expect(bucket.take(now: 0) == 0)
        #expect(bucket.take(now: 0) == 0)
        #expect(bucket.take(now: 0) == Self.second)
        // A faster rate refills faster; limits below the minimum are raised to it.
        bucket.configure(ratePerSecond: 2, burst: 0)
        #expect(bucket.burst == 1)
        #expect(bucket.take(now: 0) == Self.second / 2)
    }
}
