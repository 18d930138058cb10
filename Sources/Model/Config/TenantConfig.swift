/// Everything one tenant file says, validated: an immutable value the engine reads while it
/// runs an interaction (take it from the registry's snapshot once, at the start, and keep it).
public struct TenantConfig: Sendable, Hashable {
    public var identity: TenantIdentity
    public var access: AccessConfig
    public var channels: ChannelsConfig
    public var integrations: IntegrationsConfig
    /// In file order, which is the order intent matching tries them.
    public var services: [Service]
    /// The request fields every interaction may carry; services add their own.
    public var fields: [RequestField] = []
    public var pricing: PricingRules
    public var approvals: [String: ApprovalPolicy]
    public var templates: [String: MessageTemplate]
    public var flows: [String: Flow]
    public var deadlines: Deadlines

    public init(identity: TenantIdentity, access: AccessConfig = AccessConfig(), channels: ChannelsConfig = ChannelsConfig(),
                integrations: IntegrationsConfig = IntegrationsConfig(), services: [Service] = [],
                pricing: PricingRules = PricingRules(), approvals: [String: ApprovalPolicy] = [:],
                templates: [String: MessageTemplate] = [:], flows: [String: Flow] = [:], deadlines: Deadlines = Deadlines()) {
        self.identity = identity
        self.access = access
        self.channels = channels
        self.integrations = integrations
        self.services = services
        self.pricing = pricing
        self.approvals = approvals
        self.templates = templates
        self.flows = flows
        self.deadlines = deadlines
    }

    public var id: TenantID { identity.id }

    public func service(id: String) -> Service? { services.first { $0.id == id } }

    /// Every declared request field: the tenant's, then each service's.
    public var allFields: [RequestField] { fields + services.flatMap(\.fields) }

    /// The field named `name` for a request about `serviceID` (the tenant's, or that service's).
    public func field(named name: String, service serviceID: String?) -> RequestField? {
        if let field = fields.first(where: { $0.name == name }) { return field }
        return serviceID.flatMap { service(id: $0) }?.fields.first { $0.name == name }
    }

    /// The flow that handles the webhook event `name` (`stripe.payment_intent.succeeded`).
    public func flow(forEvent name: String) -> Flow? {
        flows.values.first { $0.serves.events.contains(name) }
    }

    /// The flow for an interaction on `channel`: the one serving its service, else the
    /// channel's default (a flow listing the channel and no services).
    public func flow(for channel: InteractionChannel, serviceID: String?) -> Flow? {
        let candidates = flows.values.filter { $0.serves.channels.contains(channel) }
        if let serviceID, let specific = candidates.first(where: { $0.serves.services.contains(serviceID) }) {
            return specific
        }
        return candidates.first { $0.serves.services.isEmpty }
    }

    /// The zone, currency and date styles templates render in.
    public var templateEnvironment: TemplateEnvironment {
        var environment = TemplateEnvironment(timeZone: identity.timeZone, currency: identity.currency,
                                              datePattern: identity.datePattern, timePattern: identity.timePattern)
        environment.hours = identity.hours
        return environment
    }

    /// Renders the named template's text (and subject) against `context`; nil when no template
    /// has that name.
    public func render(template name: String, context: JSON, now: Int64 = 0) -> (subject: String?, text: String)? {
        guard let template = templates[name] else { return nil }
        var environment = templateEnvironment
        environment.now = now
        return (template.subject?.render(context, in: environment), template.text.render(context, in: environment))
    }

    /// What a caller hears for the named template: its `say` form, else its text, made speakable
    /// (`SpokenText`); nil when no template has that name.
    public func renderSpoken(template name: String, context: JSON, now: Int64 = 0) -> String? {
        guard let template = templates[name] else { return nil }
        var environment = templateEnvironment
        environment.now = now
        return SpokenText.from((template.say ?? template.text).render(context, in: environment))
    }
}
