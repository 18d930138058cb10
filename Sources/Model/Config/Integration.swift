/// The connected systems: one provider per role, and named generic HTTP systems.
public struct IntegrationsConfig: Sendable, Hashable {
    public var roles: [IntegrationRole: Integration]
    public var systems: [String: HTTPSystem]

    public init(roles: [IntegrationRole: Integration] = [:], systems: [String: HTTPSystem] = [:]) {
        self.roles = roles
        self.systems = systems
    }

    public subscript(role: IntegrationRole) -> Integration? { roles[role] }
}

/// What an integration is for; each role has one provider.
public enum IntegrationRole: String, Sendable, Hashable, CaseIterable, Comparable {
    case crm, payments, scheduling, messaging, `operator`, email

    /// The providers that can fill this role.
    public var providers: [ProviderKind] { ProviderKind.allCases.filter { $0.role == self } }

    public static func < (lhs: IntegrationRole, rhs: IntegrationRole) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A provider Switchboard has an adapter for, the role it fills and the credentials it needs.
public enum ProviderKind: String, Sendable, Hashable, CaseIterable {
    case hubspot, stripe, calcom, twilio, slack, smtp

    public var role: IntegrationRole {
        switch self {
        case .hubspot: return .crm
        case .stripe: return .payments
        case .calcom: return .scheduling
        case .twilio: return .messaging
        case .slack: return .operator
        case .smtp: return .email
        }
    }

    /// Credential names the provider cannot work without.
    public var requiredCredentials: [String] {
        switch self {
        case .hubspot: return ["access_token"]
        case .stripe: return ["secret_key"]
        case .calcom: return ["api_key"]
        case .twilio: return ["account_sid", "auth_token"]
        case .slack: return ["webhook_path"]
        case .smtp: return []
        }
    }

    /// Credential names the provider may use.
    public var optionalCredentials: [String] {
        self == .smtp ? ["username", "password"] : []
    }
}

/// One connected provider.
public struct Integration: Sendable, Hashable {
    public var role: IntegrationRole
    public var provider: ProviderKind
    /// Where the provider's API lives (`https://api.stripe.com`, or the sandbox); paths from the
    /// provider's API reference are appended unchanged. For SMTP, `smtp://host:port` or `smtps://`.
    public var baseURL: String
    /// By name (`secret_key`, `auth_token`): calls use each one's `current`; the others are only
    /// listed, so that a rotation can be staged in the file.
    public var credentials: [String: SecretSet]
    /// Total time allowed for one call, retries excluded.
    public var timeout: Duration
    public var rateLimit: RateLimit?
    /// PEM bundle to trust instead of the system's CAs (self-hosted systems).
    public var caFile: String?
    /// Cal.com only: the event type to book for each service id.
    public var eventTypes: [String: Int]
    /// Cal.com only: for services booked as a series, the event type that repeats every N weeks
    /// (Cal.com sets the interval on the event type), by service id and then N.
    public var recurringEventTypes: [String: [Int: Int]] = [:]
    /// SMTP only: upgrade a plain connection with STARTTLS (required unless the URL is `smtps://`).
    public var startTLS: Bool

    public init(role: IntegrationRole, provider: ProviderKind, baseURL: String, credentials: [String: SecretSet] = [:],
                timeout: Duration = .seconds(10), rateLimit: RateLimit? = nil, caFile: String? = nil,
                eventTypes: [String: Int] = [:], startTLS: Bool = true) {
        self.role = role
        self.provider = provider
        self.baseURL = baseURL
        self.credentials = credentials
        self.timeout = timeout
        self.rateLimit = rateLimit
        self.caFile = caFile
        self.eventTypes = eventTypes
        self.startTLS = startTLS
    }
}

/// A token bucket for calls to one provider on behalf of one tenant.
public struct RateLimit: Sendable, Hashable {
    public var requestsPerSecond: Int
    public var burst: Int

    public init(requestsPerSecond: Int, burst: Int) {
        self.requestsPerSecond = requestsPerSecond
        self.burst = burst
    }
}
