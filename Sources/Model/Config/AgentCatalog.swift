/// The agents a flow may name: their parameters, outcomes, the context keys they provide and
/// what they count for in outcome-completeness. This is the contract between tenant files and
/// the engine (docs/architecture.md, "Agents"); the validator checks flows against it and the
/// engine implements every entry.
public enum AgentCatalog {
    /// Context keys every template may read whatever ran before. A key ending in `.*` opens a
    /// namespace: any path under it is accepted.
    public static let alwaysAvailable: [String] = [
        "tenant.id", "tenant.name", "tenant.phone",
        "interaction.id", "interaction.channel", "interaction.text", "interaction.received_at",
        "from.phone", "from.email", "from.name", "fields.*", "event.*",
    ]

    /// Keys the engine sets on a flow's failure paths (the states from which the flow can no
    /// longer complete), after running the compensations owed: what was undone.
    public static let compensationKeys: [String] = [
        "compensation.summary", "compensation.count", "compensation.refunded", "compensation.undone",
        "compensation.failed", "compensation.problems",
    ]

    public static func spec(named name: String) -> AgentSpec? { byName[name] }

    public static var names: [String] { all.map(\.name) }

    private static let byName: [String: AgentSpec] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    private static let service = ["service.id", "service.name", "service.duration_minutes", "service.price", "service.currency"]
    private static let customer = ["customer.id", "customer.name", "customer.label", "customer.phone", "customer.email", "customer.tags", "customer.is_new",
                                   "customer.visits", "customer.last_visit"]
    private static let price = ["price.base", "price.total", "price.currency", "price.deposit", "price.adjustments"]
    private static let approval = ["approval.decision", "approval.by", "approval.note"]

    /// The channels a step tries to reach the operator on, overriding the tenant's order.
    private static let operatorChannel = ParameterSpec("channel", .choices(OperatorChannel.allCases.map(\.rawValue)), isRequired: false)

    public static let all: [AgentSpec] = [
        AgentSpec("intent.classify", outcomes: [.ok, .notFound],
                  provides: [.ok: service + ["intent.confidence"], .notFound: ["intent.confidence"]]),
        AgentSpec("customer.find_or_create", outcomes: [.ok, .error], provides: [.ok: customer], integration: .crm),
        AgentSpec("decide.eligibility", outcomes: [.ok, .ineligible],
                  provides: [.ok: ["eligibility.reason", "series.every_weeks", "series.count"], .ineligible: ["eligibility.reason"]]),
        AgentSpec("decide.price", parameters: [ParameterSpec("approval_above", .money, isRequired: false),
                                               ParameterSpec("approval", .approvalPolicy, isRequired: false)],
                  outcomes: [.ok, .needsApproval], provides: [.ok: price, .needsApproval: price]),
        AgentSpec("decide.slot", parameters: [ParameterSpec("search_days", .integer(1...90), isRequired: false),
                                              ParameterSpec("alternatives", .integer(0...10), isRequired: false)],
                  outcomes: [.ok, .conflict, .notFound],
                  provides: [.ok: ["slot.start", "slot.end", "slot.occurrences"],
                             .conflict: ["alternatives", "conflict.kind", "conflict.reason"]],
                  integration: .scheduling),
        AgentSpec("approval.request", parameters: [ParameterSpec("policy", .approvalPolicy), operatorChannel],
                  outcomes: [.ok, .declined, .timeout],
                  provides: [.ok: approval, .declined: approval, .timeout: approval], reachesOperator: true),
        AgentSpec("conversation.ask", parameters: [ParameterSpec("template", .template(.customer)),
                                                   ParameterSpec("expect", .choice(["slot_choice", "yes_no", "free_text", "field"])),
                                                   ParameterSpec("field", .field, isRequired: false),
                                                   ParameterSpec("timeout", .duration, isRequired: false)],
                  outcomes: [.ok, .declined, .timeout],
                  provides: [.ok: ["reply.text", "reply.choice"], .declined: ["reply.text"]], integration: .messaging),
        AgentSpec("scheduling.book", outcomes: [.ok, .conflict, .error, .declined], optionalOutcomes: [.declined],
                  provides: [.ok: ["booking.id", "booking.start", "booking.end", "booking.occurrences", "booking.recurrence.id",
                                   "booking.recurrence.every_weeks", "booking.recurrence.count"]], integration: .scheduling),
        AgentSpec("scheduling.cancel", outcomes: [.ok, .error], provides: [.ok: ["cancellation.id"]], integration: .scheduling),
        AgentSpec("payments.deposit_link", outcomes: [.ok, .error],
                  provides: [.ok: ["payment.checkout_url", "payment.session_id", "payment.amount"]], integration: .payments),
        AgentSpec("payments.charge", outcomes: [.ok, .declined, .error],
                  provides: [.ok: ["payment.intent_id", "payment.status", "payment.amount"], .declined: ["payment.status"]],
                  integration: .payments),
        AgentSpec("payments.refund", outcomes: [.ok, .ineligible, .needsApproval, .error],
                  provides: [.ok: ["refund.id", "refund.amount", "refund.rule", "refund.occurrences"],
                             .needsApproval: ["refund.amount", "refund.rule", "refund.occurrences"], .ineligible: ["refund.rule"]],
                  integration: .payments),
        AgentSpec("payments.mark_paid", outcomes: [.ok, .notFound], provides: [.ok: ["payment.status", "payment.amount"]],
                  integration: .payments),
        AgentSpec("crm.note", parameters: [ParameterSpec("template", .template(.crm))], outcomes: [.ok, .error],
                  provides: [.ok: ["crm.note_id"]], integration: .crm, updatesRecord: true),
        AgentSpec("crm.update", parameters: [ParameterSpec("properties", .templateMap)], outcomes: [.ok, .error],
                  integration: .crm, updatesRecord: true),
        AgentSpec("notify.customer", parameters: [ParameterSpec("template", .template(.customer)),
                                                  ParameterSpec("channel", .choice(["sms", "email"]), isRequired: false)],
                  outcomes: [.ok, .error], provides: [.ok: ["message.customer_id"]], integration: .messaging,
                  confirmsCustomer: true),
        AgentSpec("notify.operator", parameters: [ParameterSpec("template", .template(.operator)), operatorChannel], outcomes: [.ok, .error],
                  provides: [.ok: ["message.operator_id"]], reachesOperator: true, notifiesOperator: true),
        AgentSpec("http.call", parameters: [ParameterSpec("integration", .system), ParameterSpec("operation", .operation)],
                  outcomes: [.ok, .notFound, .error]),
    ]
}
