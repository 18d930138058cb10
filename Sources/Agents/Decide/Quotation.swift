import Model

/// A service's price for what a step sees: the base (its price table's entry for the fields),
/// the add-ons, every pricing rule that holds for the time being priced, and the deposit, with
/// the reasons in words. `decide.price` quotes with it; `scheduling.book` evaluates it again for
/// the slot it books.
struct Quotation {
    var quote: PriceQuote
    var deposit: Money?
    /// The base's reason, the timing, each adjustment, the total and the deposit.
    var reasons: [String]
    /// The scope the rules were evaluated in (the time priced as `slot.*`).
    var scope: ContextScope

    /// Why a request has no price: its price table needs a field the request does not give.
    struct Unpriced: Error, Sendable {
        var summary: String
        var reason: String
    }

    /// The price of `service` for `input`'s context, for the instant `when` (Unix seconds)
    /// described by `timing`.
    static func evaluate(_ input: StepInput, service: Service, at when: Int64, timing: String) -> Result<Quotation, Unpriced> {
        let config = input.config
        let fields = input.fields
        guard let (base, baseReason) = service.basePrice(for: fields) else {
            let field = service.pricing.priceTable?.field ?? "a field"
            return .failure(Unpriced(summary: "no price for this request: an operator must quote it",
                                     reason: "\(service.name)'s price depends on \(field), which the request does not give"))
        }
        let currency = config.identity.currency
        let addOns = service.pricing.addOns.flatMap { $0.lines(fields, currency: currency) }
            .filter { $0.amount.minorUnits != 0 }
            .map { PriceAdjustment(ruleID: "add_on", description: $0.label, amount: $0.amount) }
        let scope = ContextScope(context: input.context, timeZone: config.identity.timeZone, hours: config.identity.hours,
                                 now: input.now, slotInstant: when * 1000)
        let quote = config.pricing.quote(base: base, addOns: addOns, in: scope)
        let deposit = service.deposit?.amount(for: quote.total, rounding: config.pricing.rounding)

        var reasons = [baseReason, timing]
        reasons += quote.adjustments.map(Self.describe)
        reasons.append("total \(quote.total.formatted)")
        if let deposit { reasons.append("deposit \(deposit.formatted)") }
        return .success(Quotation(quote: quote, deposit: deposit, reasons: reasons, scope: scope))
    }

    /// `after_hours: +$74.50 (After-hours visit, when not slot.within_hours)`.
    static func describe(_ adjustment: PriceAdjustment) -> String {
        let sign = adjustment.amount.minorUnits >= 0 ? "+" : "−"
        let magnitude = Money(minorUnits: abs(adjustment.amount.minorUnits), currency: adjustment.amount.currency)
        let why = adjustment.condition.map { ", when \($0)" } ?? ""
        return "\(adjustment.ruleID): \(sign)\(magnitude.formatted) (\(adjustment.description)\(why))"
    }

    /// The context's `price` object: `base total currency deposit adjustments` (minor units).
    var json: JSONObject {
        let adjustments: [JSON] = quote.adjustments.map {
            ["rule": .string($0.ruleID), "description": .string($0.description), "amount": .int($0.amount.minorUnits)]
        }
        return ["base": .int(quote.base.minorUnits), "total": .int(quote.total.minorUnits),
                "currency": .string(quote.total.currency.code), "adjustments": .array(adjustments),
                "deposit": .int(deposit?.minorUnits ?? 0)]
    }
}
