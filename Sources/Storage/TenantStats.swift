import Model

/// One tenant's figures over a window, for the operator dashboard: interactions per status,
/// how long resolution took, and how its providers behaved.
public struct TenantStats: Sendable, Equatable {
    /// The window's start (Unix ms): interactions received since then count.
    public var since: Int64
    /// Interactions received in the window, by where they stand now.
    public var byStatus: [InteractionStatus: Int]
    /// Time from receipt to the last step of interactions that reached `completed` or `failed`.
    public var resolution: Resolution
    /// Provider calls made for interactions of the window, by provider kind.
    public var providers: [ProviderFigures]

    public init(since: Int64, byStatus: [InteractionStatus: Int] = [:], resolution: Resolution = Resolution(),
                providers: [ProviderFigures] = []) {
        self.since = since
        self.byStatus = byStatus
        self.resolution = resolution
        self.providers = providers
    }

    public var total: Int { byStatus.values.reduce(0, +) }

    public struct Resolution: Sendable, Equatable {
        public var count: Int
        public var p50Millis: Int64?
        public var p99Millis: Int64?

        public init(count: Int = 0, p50Millis: Int64? = nil, p99Millis: Int64? = nil) {
            self.count = count
            self.p50Millis = p50Millis
            self.p99Millis = p99Millis
        }

        /// Nearest-rank percentiles of `durations` (any order).
        public init(durations: [Int64]) {
            let sorted = durations.sorted()
            count = sorted.count
            p50Millis = Self.percentile(0.50, of: sorted)
            p99Millis = Self.percentile(0.99, of: sorted)
        }

        static func percentile(_ q: Double, of sorted: [Int64]) -> Int64? {
            guard !sorted.isEmpty else { return nil }
            let rank = Int((q * Double(sorted.count)).rounded(.up))
            return sorted[min(sorted.count, max(1, rank)) - 1]
        }
    }

    /// Calls to one provider kind (`stripe`, `twilio`, ...), as the trace recorded them.
    public struct ProviderFigures: Sendable, Equatable {
        public var provider: String
        public var calls: Int
        /// Calls that ended in an error after their retries.
        public var errors: Int
        /// Attempts beyond the first.
        public var retries: Int
        public var totalMillis: Int64

        public init(provider: String, calls: Int, errors: Int, retries: Int, totalMillis: Int64) {
            self.provider = provider
            self.calls = calls
            self.errors = errors
            self.retries = retries
            self.totalMillis = totalMillis
        }

        public var errorRate: Double { calls == 0 ? 0 : Double(errors) / Double(calls) }
    }
}

/// The unfinished interactions of one status: how many, and when the oldest was received.
public struct UnfinishedFigures: Sendable, Equatable {
    public var status: InteractionStatus
    public var count: Int
    /// Unix ms.
    public var oldestCreatedAt: Int64

    public init(status: InteractionStatus, count: Int, oldestCreatedAt: Int64) {
        self.status = status
        self.count = count
        self.oldestCreatedAt = oldestCreatedAt
    }
}
