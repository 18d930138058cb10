extension AgentCatalog {
    /// The keys conditions may read, with their types, before the tenant adds its own (its
    /// fields, and its service ids as the values of `service.id`). Which agent sets each key is
    /// in `all`; `slot.weekday`, `slot.time`, `slot.date`, `slot.within_hours` and the same under
    /// `now.` are derived in the tenant's zone (`ContextScope`).
    public static let conditionKeys: [String: ConditionType] = [
        "tenant.id": .text, "tenant.name": .text, "tenant.phone": .text,
        "interaction.channel": .choice(["api", "sms", "voice", "email", "stripe", "calcom", "generic"]),
        "interaction.text": .text,
        "from.phone": .text, "from.email": .text, "from.name": .text,
        "service.id": .text, "service.name": .text, "service.duration_minutes": .number, "service.price": .money,
        "intent.confidence": .number,
        "customer.id": .text, "customer.name": .text, "customer.label": .text, "customer.phone": .text, "customer.email": .text,
        "customer.tags": .list(nil), "customer.is_new": .bool, "customer.visits": .number, "customer.last_visit": .date,
        "eligibility.reason": .text,
        "price.base": .money, "price.total": .money, "price.deposit": .money,
        "slot.start": .text, "slot.end": .text, "conflict.kind": .choice(["closed", "off_grid", "taken"]), "conflict.reason": .text,
        "slot.weekday": .weekday, "slot.time": .time, "slot.date": .date, "slot.within_hours": .bool,
        "now.weekday": .weekday, "now.time": .time, "now.date": .date, "now.within_hours": .bool,
        "approval.decision": .choice(["approved", "rejected", "timed_out", "not_required"]), "approval.by": .text,
        "reply.text": .text, "reply.choice": .text,
        "booking.id": .text, "booking.recurrence.every_weeks": .number, "booking.recurrence.count": .number,
        "series.every_weeks": .number, "series.count": .number,
        "payment.status": .text, "payment.amount": .money,
        "refund.amount": .money, "refund.rule": .text,
        "compensation.summary": .text, "compensation.count": .number, "compensation.refunded": .money,
        "compensation.failed": .number, "compensation.problems": .text,
    ]

    /// Namespaces whose keys are open: a webhook's `event.*` and generic systems' `http.*`, read as text.
    public static let conditionNamespaces: [String: ConditionType] = ["event": .text, "http": .text]
}
