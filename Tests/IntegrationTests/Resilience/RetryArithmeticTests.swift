import Integration
import Testing

/// Retry budget and backoff arithmetic.
struct RetryArithmeticTests {
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
