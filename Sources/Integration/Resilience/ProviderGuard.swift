import Model
import Synchronization

/// The resilience state of one (tenant, provider): circuit breaker, rate limit and retry budget,
/// behind one short lock, with their metrics.
public final class ProviderGuard: Sendable {
    let metrics: ProviderMetrics
    private let state: Mutex<State>

    private struct State {
        var policy: ResiliencePolicy
        var breaker: CircuitBreaker
        var bucket: TokenBucket?
        var budget: RetryBudget
    }

    init(policy: ResiliencePolicy, metrics: ProviderMetrics, now: UInt64) {
        self.metrics = metrics
        state = Mutex(State(policy: policy, breaker: CircuitBreaker(configuration: policy.breaker),
                            bucket: policy.rateLimit.map { TokenBucket(ratePerSecond: $0.ratePerSecond, burst: $0.burst, now: now) },
                            budget: RetryBudget(ratio: policy.retryBudgetRatio, maxTokens: policy.retryBudgetMaxTokens)))
    }

    /// Adopts `policy` if it differs from the one in force, keeping breaker and budget state.
    func adopt(_ policy: ResiliencePolicy, now: UInt64) {
        state.withLock { state in
            guard state.policy != policy else { return }
            state.policy = policy
            state.breaker.reconfigure(policy.breaker)
            state.budget.ratio = policy.retryBudgetRatio
            state.budget.maxTokens = policy.retryBudgetMaxTokens
            if let limit = policy.rateLimit {
                if state.bucket == nil {
                    state.bucket = TokenBucket(ratePerSecond: limit.ratePerSecond, burst: limit.burst, now: now)
                } else {
                    state.bucket?.configure(ratePerSecond: limit.ratePerSecond, burst: limit.burst)
                }
            } else {
                state.bucket = nil
            }
        }
    }

    public var breakerState: CircuitBreaker.State { state.withLock { $0.breaker.state } }

    func admit(now: UInt64) -> CircuitBreaker.Decision {
        let (decision, newState) = state.withLock { state -> (CircuitBreaker.Decision, CircuitBreaker.State) in
            (state.breaker.admit(now: now), state.breaker.state)
        }
        metrics.breakerState.set(newState.rawValue)
        if case .reject = decision { metrics.breakerRejections.increment() }
        return decision
    }

    /// Nanoseconds to wait for a rate-limit token (0: go now).
    func reserveToken(now: UInt64) -> UInt64 {
        state.withLock { $0.bucket?.reserve(now: now) ?? 0 }
    }

    func cancelReservation() {
        state.withLock { $0.bucket?.cancelReservation() }
    }

    /// Pauses the rate limit after a provider's Retry-After.
    func pause(until: UInt64) {
        state.withLock { $0.bucket?.pause(until: until) }
    }

    func record(_ outcome: CircuitBreaker.Outcome, isProbe: Bool, isFirstAttempt: Bool, now: UInt64) {
        let newState = state.withLock { state -> CircuitBreaker.State? in
            if isFirstAttempt && outcome == .success { state.budget.recordFirstAttemptSuccess() }
            return state.breaker.record(outcome, isProbe: isProbe, now: now)
        }
        if let newState { metrics.breakerState.set(newState.rawValue) }
    }

    /// Takes a retry token; false (and counted) when the budget is spent.
    func withdrawRetry() -> Bool {
        let granted = state.withLock { $0.budget.withdraw() }
        if !granted { metrics.budgetExhausted.increment() }
        return granted
    }
}
