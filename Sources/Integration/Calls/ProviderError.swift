/// Why a provider call failed, in the few kinds the engine acts on.
///
/// | kind | the engine | retried here when |
/// |---|---|---|
/// | `retryable` | may run the step again later | idempotent or keyed call, budget left |
/// | `rateLimited` | waits `retryAfterSeconds`, then again | Retry-After fits the deadline |
/// | `timeout` | treats the effect as unknown | idempotent or keyed call |
/// | `permanent` | fails the step with `message` | never |
/// | `authFailure` | tells the operator to fix credentials | never |
/// | `conflict` | takes the `conflict` outcome (slot taken, duplicate contact) | never |
/// | `notFound` | takes the `not_found` outcome | never |
/// | `circuitOpen` | retries the step after `retryAfterSeconds` without calling | never |
public struct ProviderError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        case retryable
        case rateLimited = "rate_limited"
        case timeout
        case permanent
        case authFailure = "auth_failure"
        case conflict
        case notFound = "not_found"
        case circuitOpen = "circuit_open"
    }

    public var kind: Kind
    /// The provider kind (`stripe`) and the operation (`createRefund`).
    public var provider: String
    public var operation: String
    /// The HTTP status, when a response arrived.
    public var status: Int?
    /// The provider's error code (`card_declined`, `21211`, `CONFLICT`), when it gave one.
    public var code: String?
    /// The provider's message, scrubbed of credentials and card-like numbers.
    public var message: String
    /// How long to wait before calling again (rate limits, an open circuit).
    public var retryAfterSeconds: Double?
    /// The existing resource a `conflict` is about, when the provider names it (HubSpot's
    /// "Contact already exists. Existing ID: 123").
    public var resourceID: String?
    /// False when the provider provably did not act on the request (no byte sent, or a 429 the
    /// provider documents as never processed): then even a non-idempotent call may be repeated.
    public var mayHaveTakenEffect: Bool

    public init(kind: Kind, provider: String, operation: String, status: Int? = nil, code: String? = nil,
                message: String, retryAfterSeconds: Double? = nil, mayHaveTakenEffect: Bool = true) {
        self.kind = kind
        self.provider = provider
        self.operation = operation
        self.status = status
        self.code = code
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
        self.mayHaveTakenEffect = mayHaveTakenEffect
    }

    public var description: String {
        var text = "\(provider) \(operation) failed: \(kind.rawValue)"
        if let status { text += " (HTTP \(status))" }
        if let code { text += " [\(code)]" }
        if !message.isEmpty { text += ": \(message)" }
        if let retryAfterSeconds { text += "; retry after \(Self.format(retryAfterSeconds)) s" }
        return text
    }

    /// Whether another attempt could succeed without anything changing on our side.
    public var isTransient: Bool {
        switch kind {
        case .retryable, .rateLimited, .timeout: return true
        default: return false
        }
    }

    /// Whether this failure says the provider is unhealthy (it counts against the circuit breaker).
    var countsAsProviderFailure: Bool {
        kind == .retryable || kind == .timeout
    }

    /// The kind a status code means when the provider's body says nothing more specific.
    public static func kind(forStatus status: Int) -> Kind {
        switch status {
        case 401, 403: return .authFailure
        case 404, 410: return .notFound
        case 409: return .conflict
        case 429: return .rateLimited
        case 408, 425, 500...599: return .retryable
        default: return .permanent
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String((seconds * 1000).rounded() / 1000)
    }
}
