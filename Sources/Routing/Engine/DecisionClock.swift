import Native

/// The "now" agents decide with (lead times, slot search, pricing by time of day), as
/// `StepInput.now`. Production uses the system clock; dry runs and what-if replays move it.
public enum DecisionClock: Sendable, Equatable {
    /// The system's wall clock.
    case system
    /// A fixed instant (Unix ms), for tests that must not depend on today.
    case fixed(Int64)
    /// The moment the interaction was received, advancing in real time from the start of the
    /// execution: a dry run or a replay decides as it would have when the request came in.
    case asReceived

    /// Unix ms for a step of an execution of an interaction received at `receivedAt` that started
    /// at `startedNanos` on the monotonic clock.
    public func now(receivedAt: Int64, startedNanos: UInt64) -> Int64 {
        switch self {
        case .system: return Clock.unixMillis()
        case .fixed(let millis): return millis
        case .asReceived: return receivedAt + Int64((Clock.monotonicNanos() &- startedNanos) / 1_000_000)
        }
    }
}
