import Synchronization

/// One thing the tenant sells or books.
public struct Service: Sendable, Hashable {
    /// Stable id: the API's `service` field names it, flows and rules refer to it.
    public var id: String
    public var name: String
    public var matchers: ServiceMatchers
    public var duration: Duration
    public var price: Money
    public var deposit: Deposit?
    public var eligibility: Eligibility
    public var cancellation: CancellationPolicy?
    /// Fields only this service's requests take (beside the tenant's).
    public var fields: [RequestField] = []
    /// Price and duration tables and add-ons; `price` is the table's lowest entry ("from").
    public var pricing = ServicePricing()
    /// When the service is offered if not in the tenant's business hours (emergencies at any
    /// hour); the tenant's closed dates do not apply to it. Pricing still sees the tenant's hours,
    /// so after-hours rules price what falls outside them.
    public var hours: BusinessHours?
    /// Set when the service may be booked as a series.
    public var recurrence: Recurrence?

    /// The hours the service is booked in, and whether the tenant's closed dates apply.
    public func bookingHours(in identity: TenantIdentity) -> BusinessHours { hours ?? identity.hours }

    public init(id: String, name: String, matchers: ServiceMatchers = ServiceMatchers(), duration: Duration, price: Money,
                deposit: Deposit? = nil, eligibility: Eligibility = Eligibility(), cancellation: CancellationPolicy? = nil,
                recurrence: Recurrence? = nil) {
        self.id = id
        self.name = name
        self.matchers = matchers
        self.duration = duration
        self.price = price
        self.deposit = deposit
        self.eligibility = eligibility
        self.cancellation = cancellation
        self.recurrence = recurrence
    }

    public var durationMinutes: Int { Int(duration.components.seconds / 60) }
}

/// How the intent step recognises a service in free text (an explicit `service` id always wins).
public struct ServiceMatchers: Sendable, Hashable {
    /// Whole words, case-insensitive: `clog`, `drain`.
    public var keywords: [String]
    /// Word sequences, case-insensitive: `sink is blocked`.
    public var phrases: [String]
    /// Regular expressions (Swift `Regex` syntax), already checked to compile.
    public var patterns: [String]

    public init(keywords: [String] = [], phrases: [String] = [], patterns: [String] = []) {
        self.keywords = keywords
        self.phrases = phrases
        self.patterns = patterns
    }

    public var isEmpty: Bool { keywords.isEmpty && phrases.isEmpty && patterns.isEmpty }

    /// `pattern` compiled to match case-insensitively, or the compiler's complaint.
    ///
    /// Compiling one of the example tenants' patterns takes about 160 µs, five times as long as
    /// matching it, and every interaction that names no service runs every pattern of its tenant.
    /// So compiled patterns are kept for the life of the process; tenants and reloads repeat the
    /// same ones. Past `cachedPatternLimit` distinct patterns, each further one compiles on use.
    /// (The tenant loader checks that patterns compile without keeping them.)
    public static func compiledPattern(_ pattern: String) throws -> Regex<AnyRegexOutput> {
        if let compiled = compiledPatterns.withLock({ $0[pattern] }) { return compiled.regex }
        let compiled = SharedRegex(regex: try Regex(pattern).ignoresCase())
        compiledPatterns.withLock { if $0.count < cachedPatternLimit { $0[pattern] = compiled } }
        return compiled.regex
    }

    public static let cachedPatternLimit = 1_000
    private static let compiledPatterns = Mutex<[String: SharedRegex]>([:])

    /// A compiled regex shared between threads. Only its output type (`AnyRegexOutput`, which
    /// holds `Any`) keeps `Regex` from being `Sendable`: the compiled program does not change after
    /// `init`, the engine's lowered form is published atomically on first use, and each match
    /// builds its own output.
    private struct SharedRegex: @unchecked Sendable {
        let regex: Regex<AnyRegexOutput>
    }
}

/// What the customer pays up front: a fixed amount or a share of the quoted total.
public enum Deposit: Sendable, Hashable {
    case amount(Money)
    case percent(Percent)

    /// The deposit for a quote of `total`, never more than the total.
    public func amount(for total: Money, rounding: RoundingRule) -> Money {
        switch self {
        case .amount(let money): return min(money, total)
        case .percent(let percent): return total.applying(percent, rounding: rounding)
        }
    }
}

/// Who and when a service can be booked for.
public struct Eligibility: Sendable, Hashable {
    /// Postal codes served: exact codes or prefixes ending in `*` (`787*`). Empty: anywhere.
    public var postalCodes: [String]
    /// The earliest a booking may start, from now.
    public var leadTime: Duration
    /// Weekdays the service is offered on; nil: every day the business is open.
    public var weekdays: Set<Weekday>?
    /// Bookings of this service per local day; nil: no limit.
    public var maxPerDay: Int?

    public init(postalCodes: [String] = [], leadTime: Duration = .zero, weekdays: Set<Weekday>? = nil, maxPerDay: Int? = nil) {
        self.postalCodes = postalCodes
        self.leadTime = leadTime
        self.weekdays = weekdays
        self.maxPerDay = maxPerDay
    }

    /// True when `postalCode` (spaces and case ignored) is served.
    public func serves(postalCode: String) -> Bool {
        guard !postalCodes.isEmpty else { return true }
        let normalized = Eligibility.normalize(postalCode)
        return postalCodes.contains { pattern in
            let code = Eligibility.normalize(pattern)
            return code.hasSuffix("*") ? normalized.hasPrefix(code.dropLast()) : normalized == code
        }
    }

    static func normalize(_ code: String) -> String {
        String(code.uppercased().filter { $0 != " " })
    }
}
