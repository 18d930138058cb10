import Model

/// `decide.price`: the service's price with every pricing rule that applies, in the documented
/// order (surcharges on the base, then discounts on the surcharged price), and the deposit.
/// Above `approval_above` the outcome is `needs_approval`.
public struct PriceAgent: Agent {
    public let name = "decide.price"
    public let hasEffects = false

    public init() {}

    public func run(_ input: StepInput) async -> StepResult {
        guard let service = input.service else {
            return .outcome(.needsApproval, "no service to price", reasons: ["pricing needs a recognised service"])
        }
        let config = input.config
        let zone = config.identity.timeZone
        // Price for when the job happens: the agreed slot, else the requested time, else the
        // first opening after the lead time (where the slot search will book it).
        let when: Int64
        var timing: String
        if let slot = input.string("slot.start"), let millis = Timestamp.parseISO8601(slot) {
            when = millis / 1000
            timing = "priced for the booked slot"
        } else if let requested = RequestedTime.find(fields: input.interaction.fields, text: input.interaction.text,
                                                     now: input.now, zone: zone) {
            when = requested.exact ?? requested.start
            timing = "priced for the requested time (\(requested.phrase))"
        } else {
            let earliest = input.now / 1000 + service.eligibility.leadTime.components.seconds
            when = Self.nextOpening(after: earliest, config: config) ?? earliest
            timing = "no time requested: priced for the next opening"
        }
        let fields = input.fields
        guard let (base, baseReason) = service.basePrice(for: fields) else {
            let field = service.pricing.priceTable?.field ?? "a field"
            return .outcome(.needsApproval, "no price for this request: an operator must quote it",
                            reasons: ["\(service.name)'s price depends on \(field), which the request does not give"])
        }
        let currency = config.identity.currency
        let addOns = service.pricing.addOns.flatMap { $0.lines(fields, currency: currency) }
            .filter { $0.amount.minorUnits != 0 }
            .map { PriceAdjustment(ruleID: "add_on", description: $0.label, amount: $0.amount) }
        let scope = ContextScope(context: input.context, timeZone: zone, hours: config.identity.hours, now: input.now,
                                 slotInstant: when * 1000)
        let quote = config.pricing.quote(base: base, addOns: addOns, in: scope)
        let deposit = service.deposit?.amount(for: quote.total, rounding: config.pricing.rounding)

        var reasons = [baseReason, timing]
        for adjustment in quote.adjustments {
            let sign = adjustment.amount.minorUnits >= 0 ? "+" : "−"
            let magnitude = Money(minorUnits: abs(adjustment.amount.minorUnits), currency: adjustment.amount.currency)
            let why = adjustment.condition.map { ", when \($0)" } ?? ""
            reasons.append("\(adjustment.ruleID): \(sign)\(magnitude.formatted) (\(adjustment.description)\(why))")
        }
        reasons.append("total \(quote.total.formatted)")
        if let deposit { reasons.append("deposit \(deposit.formatted)") }

        let adjustments: [JSON] = quote.adjustments.map {
            ["rule": .string($0.ruleID), "description": .string($0.description), "amount": .int($0.amount.minorUnits)]
        }
        var price: JSONObject = [
            "base": .int(quote.base.minorUnits), "total": .int(quote.total.minorUnits),
            "currency": .string(quote.total.currency.code), "adjustments": .array(adjustments),
        ]
        price["deposit"] = deposit.map { .int($0.minorUnits) } ?? .int(0)
        let delta: JSONObject = ["price": .object(price)]

        if let threshold = input.parameters["approval_above"]?.money, quote.total > threshold {
            reasons.append("above the approval threshold of \(threshold.formatted)")
            return .outcome(.needsApproval, "quoted \(quote.total.formatted): needs approval", reasons: reasons, delta: delta)
        }
        if let name = input.parameters["approval"]?.text, let policy = config.approvals[name] {
            var priced = scope
            var context = input.context
            context.merge(delta)
            priced.context = .object(context)
            if policy.requiresApproval(for: quote.total, in: priced) {
                reasons.append("approval policy \(name) applies" + (policy.condition.map { ": \($0.source)" } ?? ""))
                return .outcome(.needsApproval, "quoted \(quote.total.formatted): needs approval (\(name))", reasons: reasons, delta: delta)
            }
        }
        return .ok("quoted \(quote.total.formatted)", reasons: reasons, delta: delta)
    }

    /// The first instant at or after `instant` when the tenant is open (within two weeks).
    static func nextOpening(after instant: Int64, config: TenantConfig) -> Int64? {
        let zone = config.identity.timeZone
        let hours = config.identity.hours
        let local = zone.localTime(atUnixSeconds: instant)
        let today = LocalDate(year: local.year, month: local.month, day: local.day)
        let minute = local.hour * 60 + local.minute
        for offset in 0..<14 {
            let date = today.adding(days: offset)
            guard !hours.closedDates.contains(date) else { continue }
            for range in hours.ranges(on: date.weekday).sorted(by: { $0.start < $1.start }) {
                if offset == 0 && range.end.minutes <= minute { continue }
                let start = offset == 0 ? max(range.start.minutes, minute) : range.start.minutes
                return max(instant, zone.unixSeconds(on: date, at: TimeOfDay(minutes: start)))
            }
        }
        return nil
    }
}
