import Native

/// Time for the resilience state machines, injectable so tests run without sleeping.
public protocol ResilienceClock: Sendable {
    /// Monotonic nanoseconds.
    func now() -> UInt64
    /// Suspends for `nanoseconds` (a test clock may just advance its time).
    func sleep(nanoseconds: UInt64) async throws
}

/// The monotonic system clock and `Task.sleep`.
public struct SystemResilienceClock: ResilienceClock {
    public init() {}

    public func now() -> UInt64 { Clock.monotonicNanos() }

    public func sleep(nanoseconds: UInt64) async throws {
        try await Task.sleep(nanoseconds: nanoseconds)
    }
}

/// Uniform random numbers for backoff jitter, injectable for tests.
public protocol RandomSource: Sendable {
    /// A number in `0..<1`.
    func nextUnit() -> Double
}

/// The system's random number generator.
public struct SystemRandomSource: RandomSource {
    public init() {}

    public func nextUnit() -> Double { Double.random(in: 0..<1) }
}
