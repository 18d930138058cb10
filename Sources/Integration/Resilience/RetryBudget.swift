/// Limits retries to a share of first attempts, so a failing provider gets at most about
/// `ratio` extra load instead of a retry storm: every successful first attempt deposits `ratio`
/// tokens (up to `maxTokens`), every retry withdraws one, and no retry happens without a token.
/// It starts full so a quiet integration can still retry its first failures.
public struct RetryBudget: Sendable, Equatable {
    public var ratio: Double
    public var maxTokens: Double
    public private(set) var tokens: Double

    public init(ratio: Double = 0.1, maxTokens: Double = 10) {
        self.ratio = ratio
        self.maxTokens = maxTokens
        tokens = maxTokens
    }

    public mutating func recordFirstAttemptSuccess() {
        tokens = min(maxTokens, tokens + ratio)
    }

    /// Takes a token for one retry; false when the budget is spent.
    public mutating func withdraw() -> Bool {
        // Deposits of 0.1 add up to 0.9999…: compare with a little slack.
        guard tokens >= 1 - 1e-9 else { return false }
        tokens = max(0, tokens - 1)
        return true
    }
}
