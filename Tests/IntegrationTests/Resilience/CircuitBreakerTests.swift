import Integration
import Testing

/// The breaker's state machine with explicit time: no sleeping.
struct CircuitBreakerTests {
    static let second: UInt64 = 1_000_000_000
    static let configuration = CircuitBreaker.Configuration(windowSeconds: 10, minimumCalls: 4, failureRatio: 0.5, openSeconds: 5,
                                                            halfOpenProbes: 1, successesToClose: 2)

    @Test func failuresBelowTheMinimumCalls_keepItClosed() {
        var breaker = CircuitBreaker(configuration: Self.configuration)
        for i in 0..<3 { breaker.record(.failure, isProbe: false, now: UInt64(i) * Self.second) }
        #expect(breaker.state == .closed)
        #expect(breaker.admit(now: 3 * Self.second) == .allow)
    }

    @Test func failureRatioOverTheMinimum_opensIt_andItRejectsUntilOpenSecondsPass() {
        var breaker = CircuitBreaker(configuration: Self.configuration)
        breaker.record(.success, isProbe: false, now: 0)
        breaker.record(.success, isProbe: false, now: 0)
        breaker.record(.failure, isProbe: false, now: 0)
        #expect(breaker.state == .closed)
        #expect(breaker.record(.failure, isProbe: false, now: Self.second) == .open)
        #expect(breaker.admit(now: 2 * Self.second) == .reject(retryAfterNanos: 4 * Self.second))
        #expect(breaker.admit(now: 6 * Self.second) == .allowProbe)
        #expect(breaker.state == .halfOpen)
    }

    @Test func halfOpen_allowsOneProbeAtATime_andClosesAfterTwoSuccesses() {
        var breaker = CircuitBreaker(configuration: Self.configuration)
        for _ in 0..<4 { breaker.record(.failure, isProbe: false, now: 0) }
        #expect(breaker.admit(now: 5 * Self.second) == .allowProbe)
        if case .reject = breaker.admit(now: 5 * Self.second) {} else { Issue.record("a second concurrent probe was admitted") }
        breaker.record(.success, isProbe: true, now: 5 * Self.second)
        #expect(breaker.state == .halfOpen)
        #expect(breaker.admit(now: 5 * Self.second) == .allowProbe)
        #expect(breaker.record(.success, isProbe: true, now: 5 * Self.second) == .closed)
        #expect(breaker.admit(now: 5 * Self.second) == .allow)
    }

    @Test func failedProbe_opensItAgain() {
        var breaker = CircuitBreaker(configuration: Self.configuration)
        for _ in 0..<4 { breaker.record(.failure, isProbe: false, now: 0) }
        #expect(breaker.admit(now: 5 * Self.second) == .allowProbe)
        #expect(breaker.record(.failure, isProbe: true, now: 5 * Self.second) == .open)
        #expect(breaker.admit(now: 9 * Self.second) == .reject(retryAfterNanos: Self.second))
    }

    @Test func ignoredProbe_freesItsSlotWithoutDeciding() {
        var breaker = CircuitBreaker(configuration: Self.configuration)
        for _ in 0..<4 { breaker.record(.failure, isProbe: false, now: 0) }
        #expect(breaker.admit(now: 5 * Self.second) == .allowProbe)
        breaker.record(.ignored, isProbe: true, now: 5 * Self.second)
        #expect(breaker.state == .halfOpen)
        #expect(breaker.admit(now: 5 * Self.second) == .allowProbe)
    }

    @Test func oldFailures_leaveTheWindow() {
        var breaker = CircuitBreaker(configuration: Self.configuration)
        for _ in 0..<3 { breaker.record(.failure, isProbe: false, now: 0) }
        // Eleven seconds later the three failures are outside the ten-second window.
        breaker.record(.failure, isProbe: false, now: 11 * Self.second)
        #expect(breaker.state == .closed)
        for _ in 0..<3 { breaker.record(.failure, isProbe: false, now: 12 * Self.second) }
        #expect(breaker.state == .open)
    }
}
