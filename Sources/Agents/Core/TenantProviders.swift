import Integration
import Model
import Native

/// A tenant's providers, built from its `integrations:` on the shared runtime (one libcurl driver,
/// one set of breakers and rate limits keyed by tenant and provider).
public struct TenantProviders: Sendable {
    public let crm: (any CRMProvider)?
    public let payments: (any PaymentsProvider)?
    public let scheduling: (any SchedulingProvider)?
    public let messaging: (any MessagingProvider)?
    public let operatorNotifier: (any OperatorNotifier)?
    public let email: (any EmailSender)?
    /// How `http.call` reaches a generic HTTP system: runs the call it is given, or (decorated)
    /// records its answer or answers from a recording.
    let systemCall: SystemCall
    let runtime: IntegrationRuntime?

    /// A generic HTTP system's operation (`system`, `operation`) made through `call`, which
    /// returns the answer's mapped fields.
    typealias SystemCall = @Sendable (_ system: String, _ operation: String, _ context: CallContext,
                                      _ call: @escaping @Sendable () async throws -> JSON) async throws -> JSON
    static let directSystemCall: SystemCall = { _, _, _, call in try await call() }

    public init(config: TenantConfig, runtime: IntegrationRuntime) {
        self.runtime = runtime
        systemCall = Self.directSystemCall
        let integrations = config.integrations
        func policy(_ base: ResiliencePolicy, _ integration: Model.Integration) -> ResiliencePolicy {
            var policy = base
            let seconds = Double(integration.timeout.components.seconds) + Double(integration.timeout.components.attoseconds) / 1e18
            if seconds > 0 { policy.attemptTimeoutSeconds = seconds }
            if let limit = integration.rateLimit {
                policy.rateLimit = ResiliencePolicy.RateLimit(ratePerSecond: Double(limit.requestsPerSecond), burst: Double(limit.burst))
            }
            return policy
        }
        func secret(_ integration: Model.Integration, _ name: String) -> String {
            integration.credentials[name]?.current.reveal() ?? ""
        }
        crm = integrations[.crm].map { i in
            HubSpotCRM(configuration: .init(baseURL: i.baseURL, accessToken: secret(i, "access_token"), name: "crm",
                                            policy: policy(.hubspot, i), caFile: i.caFile), runtime: runtime)
        }
        payments = integrations[.payments].map { i in
            StripePayments(configuration: .init(baseURL: i.baseURL, secretKey: secret(i, "secret_key"), name: "payments",
                                                policy: policy(.stripe, i), caFile: i.caFile), runtime: runtime)
        }
        scheduling = integrations[.scheduling].map { i in
            CalComScheduling(configuration: .init(baseURL: i.baseURL, apiKey: secret(i, "api_key"), name: "scheduling",
                                                  policy: policy(.calcom, i), caFile: i.caFile), runtime: runtime)
        }
        messaging = integrations[.messaging].map { i in
            TwilioMessaging(configuration: .init(baseURL: i.baseURL, accountSID: secret(i, "account_sid"),
                                                 authToken: secret(i, "auth_token"), name: "messaging",
                                                 policy: policy(.twilio, i), caFile: i.caFile), runtime: runtime)
        }
        operatorNotifier = integrations[.operator].map { i in
            SlackNotifier(configuration: .init(webhookURL: ProviderURL.join(i.baseURL, secret(i, "webhook_path")), name: "operator",
                                               policy: policy(.slack, i), caFile: i.caFile), runtime: runtime)
        }
        email = integrations[.email].map { i in
            let user = i.credentials["username"]?.current.reveal()
            return SMTPEmailSender(configuration: .init(url: i.baseURL, security: i.startTLS ? .requireStartTLS : .none,
                                                        user: user, password: i.credentials["password"]?.current.reveal(), name: "email",
                                                        policy: policy(.smtp, i), caFile: i.caFile), runtime: runtime)
        }
    }

    /// Providers given directly (tests of single agents).
    public init(crm: (any CRMProvider)? = nil, payments: (any PaymentsProvider)? = nil,
                scheduling: (any SchedulingProvider)? = nil, messaging: (any MessagingProvider)? = nil,
                operatorNotifier: (any OperatorNotifier)? = nil, email: (any EmailSender)? = nil) {
        self.crm = crm
        self.payments = payments
        self.scheduling = scheduling
        self.messaging = messaging
        self.operatorNotifier = operatorNotifier
        self.email = email
        systemCall = Self.directSystemCall
        runtime = nil
    }

    /// The named generic HTTP system with one operation rendered, ready to call.
    func system(_ system: HTTPSystem, operation: GenericHTTPOperation) -> GenericHTTPSystem? {
        guard let runtime else { return nil }
        var authorization = HTTPClient.Authorization.none
        if let token = system.credentials["bearer_token"]?.current.reveal() {
            authorization = .bearer(token)
        } else if let user = system.credentials["username"]?.current.reveal() {
            authorization = .basic(user: user, password: system.credentials["password"]?.current.reveal() ?? "")
        }
        var policy = ResiliencePolicy.generic
        if let limit = system.rateLimit {
            policy.rateLimit = ResiliencePolicy.RateLimit(ratePerSecond: Double(limit.requestsPerSecond), burst: Double(limit.burst))
        }
        return GenericHTTPSystem(configuration: .init(name: system.name, baseURL: system.baseURL, authorization: authorization,
                                                      operations: [operation], policy: policy,
                                                      caFile: system.caFile), runtime: runtime)
    }
}

/// Joins a base URL and a path with exactly one slash.
enum ProviderURL {
    static func join(_ base: String, _ path: String) -> String {
        guard !path.isEmpty else { return base }
        if path.hasPrefix("http://") || path.hasPrefix("https://") { return path }
        let trimmedBase = base.hasSuffix("/") ? String(base.dropLast()) : base
        return trimmedBase + (path.hasPrefix("/") ? path : "/" + path)
    }
}
