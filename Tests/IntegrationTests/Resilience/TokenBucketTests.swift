import Integration
import Testing

/// Rate limit, retry budget and backoff arithmetic.
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

    @Test func retryBudget_allowsTenPercentOfSuccessfulFirstAttempts() {
        var budget = RetryBudget(ratio: 0.1, maxTokens: 2)
        var granted: [Bool] = []
        granted.append(budget.withdraw())
        granted.append(budget.withdraw())
        granted.append(budget.withdraw())
        for _ in 0..<9 { budget.recordFirstAttemptSuccess() }
        granted.append(budget.withdraw())
        budget.recordFirstAttemptSuccess()
        granted.append(budget.withdraw())
        granted.append(budget.withdraw())
        #expect(granted == [true, true, false, false, true, false])
    }

    @Test func backoff_isFullJitterUnderADoublingCap() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelaySeconds: 0.1, maxDelaySeconds: 1)
        #expect(policy.backoffSeconds(beforeRetry: 1, unit: 0.999_999) < 0.1)
        #expect(policy.backoffSeconds(beforeRetry: 1, unit: 0) == 0)
        #expect(policy.backoffSeconds(beforeRetry: 2, unit: 0.5) == 0.1)
        #expect(policy.backoffSeconds(beforeRetry: 3, unit: 0.5) == 0.2)
        #expect(policy.backoffSeconds(beforeRetry: 10, unit: 0.5) == 0.5)
    }
}
