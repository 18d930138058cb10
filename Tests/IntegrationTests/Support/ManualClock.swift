import Integration
import Synchronization

/// A clock that only moves when told to or when someone sleeps on it: state machines and the
/// retry loop run in microseconds of real time.
final class ManualClock: ResilienceClock {
    private let state = Mutex<(now: UInt64, sleeps: [UInt64])>((1_000_000_000_000, []))

    func now() -> UInt64 { state.withLock { $0.now } }

    func sleep(nanoseconds: UInt64) async throws {
        try Task.checkCancellation()
        state.withLock { state in
            state.sleeps.append(nanoseconds)
            state.now += nanoseconds
        }
    }

    func advance(seconds: Double) { state.withLock { $0.now += UInt64(seconds * 1e9) } }

    /// The sleeps so far, in seconds.
    var sleeps: [Double] { state.withLock { $0.sleeps.map { Double($0) / 1e9 } } }

    /// A deadline `seconds` from this clock's now.
    func deadline(in seconds: Double) -> UInt64 { now() + UInt64(seconds * 1e9) }
}

/// Always the same "random" number.
struct FixedRandom: RandomSource {
    var unit: Double
    func nextUnit() -> Double { unit }
}
