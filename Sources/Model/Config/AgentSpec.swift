/// One agent of the catalogue.
public struct AgentSpec: Sendable, Hashable {
    public let name: String
    public let parameters: [ParameterSpec]
    /// Everything the agent can report, in catalogue order.
    public let outcomes: [Outcome]
    /// Outcomes a state may leave without a transition: the agent reports them only where the
    /// state routes them (`scheduling.book` asks about a higher price only when a no has
    /// somewhere to go).
    public let optionalOutcomes: Set<Outcome>
    /// Context keys the agent sets, per outcome (none for outcomes not listed).
    public let provides: [Outcome: [String]]
    /// The integration role the agent calls (`notify.customer` on the email channel calls
    /// `email` instead of `messaging`).
    public let integration: IntegrationRole?
    /// Sends to the operator on the step's `channel`s or the tenant's operator channels
    /// (`TenantConfig.operatorChannels`), which need their own integrations.
    public let reachesOperator: Bool
    /// Counts as confirming the customer (any outcome: a failed send is reported, not hidden).
    public let confirmsCustomer: Bool
    /// Counts as notifying the operator.
    public let notifiesOperator: Bool
    /// Counts as updating the system of record.
    public let updatesRecord: Bool

    init(_ name: String, parameters: [ParameterSpec] = [], outcomes: [Outcome], optionalOutcomes: Set<Outcome> = [],
         provides: [Outcome: [String]] = [:], integration: IntegrationRole? = nil, reachesOperator: Bool = false, confirmsCustomer: Bool = false,
         notifiesOperator: Bool = false, updatesRecord: Bool = false) {
        self.name = name
        self.parameters = parameters
        self.outcomes = outcomes
        self.optionalOutcomes = optionalOutcomes
        self.provides = provides
        self.integration = integration
        self.reachesOperator = reachesOperator
        self.confirmsCustomer = confirmsCustomer
        self.notifiesOperator = notifiesOperator
        self.updatesRecord = updatesRecord
    }

    public func parameter(named name: String) -> ParameterSpec? { parameters.first { $0.name == name } }

    /// The context keys a step of this agent sets when it reports `outcome` with `parameters`.
    /// `conversation.ask` expecting a `slot_choice` also sets the chosen `slot.*`; `http.call`
    /// sets `http.<operation>.<field>` for each field its operation maps.
    public func providedKeys(on outcome: Outcome, parameters: [String: StepParameter],
                             responseFields: [String] = []) -> [String] {
        var keys = provides[outcome] ?? []
        if name == "conversation.ask", outcome == .ok, parameters["expect"]?.text == "slot_choice" {
            keys += ["slot.start", "slot.end"]
        }
        if name == "http.call", outcome == .ok, let operation = parameters["operation"]?.text {
            keys += responseFields.map { "http.\(operation).\($0)" }
        }
        return keys
    }
}

/// A parameter an agent takes in `params:`.
public struct ParameterSpec: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A decimal amount in the tenant's currency: `750.00`.
        case money
        case integer(ClosedRange<Int>)
        /// `30s`, `15m`, `2h`, `1d`.
        case duration
        /// The name of an entry of `approvals:`.
        case approvalPolicy
        /// The name of an entry of `templates:` for this audience.
        case template(MessageTemplate.Audience)
        case choice([String])
        /// One of the values, or a list of them in order without repeats.
        case choices([String])
        /// A mapping of names to inline templates.
        case templateMap
        /// The name of an entry of `integrations.systems`.
        case system
        /// The name of an operation of the step's `integration` system.
        case operation
        /// The name of a declared request field.
        case field
    }

    public let name: String
    public let kind: Kind
    public let isRequired: Bool

    init(_ name: String, _ kind: Kind, isRequired: Bool = true) {
        self.name = name
        self.kind = kind
        self.isRequired = isRequired
    }
}
