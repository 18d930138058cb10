/// A circuit breaker over a sliding time window.
///
/// Closed, it lets every call through and counts outcomes in `windowSeconds` (ten buckets). When
/// at least `minimumCalls` ended in the window and the share of failures reaches `failureRatio`,
/// it opens: calls are rejected without reaching the provider for `openSeconds`. Then it goes
/// half-open and lets `halfOpenProbes` calls through at a time; `successesToClose` successful
/// probes close it, one failed probe opens it again.
///
/// Bound on attempts a provider that always fails receives from one (tenant, provider) in `T`
/// seconds with `C` calls in flight: `minimumCalls + C + halfOpenProbes * ceil(T / openSeconds)`.
public struct CircuitBreaker: Sendable {
    public struct Configuration: Sendable, Equatable {
        public var windowSeconds: Double
        public var minimumCalls: Int
        public var failureRatio: Double
        public var openSeconds: Double
        public var halfOpenProbes: Int
        public var successesToClose: Int

        public init(windowSeconds: Double = 30, minimumCalls: Int = 10, failureRatio: Double = 0.5, openSeconds: Double = 10,
                    halfOpenProbes: Int = 1, successesToClose: Int = 2) {
            self.windowSeconds = windowSeconds
            self.minimumCalls = max(1, minimumCalls)
            self.failureRatio = failureRatio
            self.openSeconds = openSeconds
            self.halfOpenProbes = max(1, halfOpenProbes)
            self.successesToClose = max(1, successesToClose)
        }
    }

    /// The state, with the values the `switchboard_provider_breaker_state` gauge shows.
    public enum State: Int, Sendable {
        case closed = 0
        case open = 1
        case halfOpen = 2
    }

    public enum Decision: Sendable, Equatable {
        case allow
        /// A half-open probe: its outcome must be recorded with `isProbe: true`.
        case allowProbe
        case reject(retryAfterNanos: UInt64)
    }

    public enum Outcome: Sendable {
        case success
        case failure
        /// Neither (cancelled, rate limited): frees a probe slot, counts nothing.
        case ignored
    }

    public private(set) var configuration: Configuration
    public private(set) var state = State.closed
    private var buckets: [Bucket]
    private var openUntil: UInt64 = 0
    private var probesInFlight = 0
    private var probeSuccesses = 0

    private struct Bucket {
        var epoch: UInt64 = .max
        var successes = 0
        var failures = 0
    }

    private static let bucketCount = 10

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        buckets = Array(repeating: Bucket(), count: Self.bucketCount)
    }

    /// Adopts new thresholds (a tenant's edited configuration) and keeps the state.
    public mutating func reconfigure(_ configuration: Configuration) {
        self.configuration = configuration
    }

    public mutating func admit(now: UInt64) -> Decision {
        switch state {
        case .closed:
            return .allow
        case .open:
            guard now >= openUntil else { return .reject(retryAfterNanos: openUntil - now) }
            state = .halfOpen
            probesInFlight = 0
            probeSuccesses = 0
            fallthrough
        case .halfOpen:
            guard probesInFlight < configuration.halfOpenProbes else {
                return .reject(retryAfterNanos: nanos(configuration.openSeconds) / 10 + 1)
            }
            probesInFlight += 1
            return .allowProbe
        }
    }

    /// Counts an attempt's outcome; returns the new state when it changed.
    @discardableResult
    public mutating func record(_ outcome: Outcome, isProbe: Bool, now: UInt64) -> State? {
        if isProbe {
            guard state == .halfOpen else { return nil }
            probesInFlight = max(0, probesInFlight - 1)
            switch outcome {
            case .success:
                probeSuccesses += 1
                guard probeSuccesses >= configuration.successesToClose else { return nil }
                state = .closed
                buckets = Array(repeating: Bucket(), count: Self.bucketCount)
                return .closed
            case .failure:
                return open(now: now)
            case .ignored:
                return nil
            }
        }
        guard state == .closed, outcome != .ignored else { return nil }
        let bucketNanos = max(1, nanos(configuration.windowSeconds) / UInt64(Self.bucketCount))
        let epoch = now / bucketNanos
        let index = Int(epoch % UInt64(Self.bucketCount))
        if buckets[index].epoch != epoch { buckets[index] = Bucket(epoch: epoch) }
        if outcome == .success { buckets[index].successes += 1 } else { buckets[index].failures += 1 }
        guard outcome == .failure else { return nil }
        var successes = 0
        var failures = 0
        for bucket in buckets where bucket.epoch != .max && epoch - bucket.epoch < UInt64(Self.bucketCount) {
            successes += bucket.successes
            failures += bucket.failures
        }
        let total = successes + failures
        guard total >= configuration.minimumCalls, Double(failures) >= configuration.failureRatio * Double(total) else { return nil }
        return open(now: now)
    }

    private mutating func open(now: UInt64) -> State {
        state = .open
        openUntil = now + nanos(configuration.openSeconds)
        probesInFlight = 0
        return .open
    }

    private func nanos(_ seconds: Double) -> UInt64 { UInt64(max(0, seconds) * 1e9) }
}

extension CircuitBreaker.Outcome: Equatable {}
