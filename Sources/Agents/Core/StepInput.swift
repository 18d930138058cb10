import Integration
import Model

/// Everything a step may read, and the means to act.
public struct StepInput: Sendable {
    public var config: TenantConfig
    public var interaction: Interaction
    /// The execution context so far, as templates see it: `tenant`, `interaction`, `from`,
    /// `fields`, `event`, then what earlier steps put in.
    public var context: JSONObject
    public var parameters: [String: StepParameter]
    public var providers: TenantProviders
    public var effects: any EffectJournal
    /// The flow state this step runs in, and its journal sequence number.
    public var state: String
    public var sequence: Int
    /// How many times the flow entered this state before (a loop back gets fresh effect keys).
    public var visit: Int
    /// Other interactions of the same tenant (the booking a payment or a cancellation is about).
    public var ledger: any InteractionLedger
    /// Unix milliseconds "now" for decisions (slot search, lead times, pricing by time of day).
    public var now: Int64
    /// Provider calls stop (and are not retried) past this monotonic instant.
    public var deadline: UInt64
    public var recorder: any ProviderCallRecorder
    /// Set when a parked step runs again: the customer's reply, the operator's decision, or the
    /// wait's timeout.
    public var resumption: Resumption?
    /// An optional model-based intent classifier; keyword matching is the fallback.
    public var classifier: (any IntentClassifier)?
    /// Slots other executions of this process are about to book.
    public var slotHolds: SlotHolds?
    /// Switchboard's public address (for payment return pages and callbacks).
    public var publicURL: String = "http://127.0.0.1:8080"
    /// The caller, when this execution answers someone still on the phone (voice interactions).
    public var callLine: (any CallLine)?
    /// Set when the step runs as a compensation: the state whose effect it undoes.
    public var compensating: String?
    /// The outcomes the flow state has a transition for (an agent reports an optional outcome,
    /// such as `scheduling.book`'s `declined`, only where the state routes it).
    public var routedOutcomes: Set<Outcome> = []

    public init(config: TenantConfig, interaction: Interaction, context: JSONObject, parameters: [String: StepParameter],
                providers: TenantProviders, effects: any EffectJournal, state: String, sequence: Int, visit: Int = 0,
                ledger: any InteractionLedger, now: Int64, deadline: UInt64, recorder: any ProviderCallRecorder) {
        self.config = config
        self.interaction = interaction
        self.context = context
        self.parameters = parameters
        self.providers = providers
        self.effects = effects
        self.state = state
        self.sequence = sequence
        self.visit = visit
        self.ledger = ledger
        self.now = now
        self.deadline = deadline
        self.recorder = recorder
    }

    /// The call context for this step: keys derived from (interaction, state, visit) so a re-run
    /// of the step after a crash sends the same idempotency keys.
    public var callContext: CallContext {
        CallContext(tenant: config.id.rawValue, idempotencyKey: effectKeyBase, deadline: deadline, recorder: recorder)
    }

    /// `int_...:state#visit`, the base of this step's idempotency and effect keys.
    public var effectKeyBase: String { "\(interaction.id.rawValue):\(state)#\(visit)" }

    /// The context value at a dotted path (`customer.id`).
    public func value(_ path: String) -> JSON? { JSON.object(context).value(at: path) }

    public func string(_ path: String) -> String? {
        guard let value = value(path), !value.isNull else { return nil }
        return value.textValue.isEmpty ? nil : value.textValue
    }

    /// The request's fields as the context has them: what the request gave, and what the
    /// customer's words set through the fields' aliases.
    public var fields: JSONObject { context["fields"]?.objectValue ?? interaction.fields }

    /// The service the flow is about: the one intent classification chose, or the one named by
    /// the caller.
    public var service: Service? {
        if let id = string("service.id") ?? interaction.service { return config.service(id: id) }
        return nil
    }

    /// Renders the named template against the context.
    public func render(template name: String) -> (subject: String?, text: String)? {
        config.render(template: name, context: .object(context), now: now)
    }

    /// What a caller hears for the named template (its `say:` form, else its text made speakable).
    public func renderSpoken(template name: String) -> String? {
        config.renderSpoken(template: name, context: .object(context), now: now)
    }
}

/// What woke a parked step.
public enum Resumption: Sendable, Equatable {
    case reply(text: String)
    case approval(approved: Bool, by: String, note: String?)
    case timeout
}
