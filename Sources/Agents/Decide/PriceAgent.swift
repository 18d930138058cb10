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
        let timing: String
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
        let quotation: Quotation
        switch Quotation.evaluate(input, service: service, at: when, timing: timing) {
        case .success(let found): quotation = found
        case .failure(let unpriced): return .outcome(.needsApproval, unpriced.summary, reasons: [unpriced.reason])
        }
        let quote = quotation.quote
        var reasons = quotation.reasons
        let delta: JSONObject = ["price": .object(quotation.json)]

        if let threshold = input.parameters["approval_above"]?.money, quote.total > threshold {
            reasons.append("above the approval threshold of \(threshold.formatted)")
            return .outcome(.needsApproval, "quoted \(quote.total.formatted): needs approval", reasons: reasons, delta: delta)
        }
        if let name = input.parameters["approval"]?.text, let policy = config.approvals[name] {
            var priced = quotation.scope
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
