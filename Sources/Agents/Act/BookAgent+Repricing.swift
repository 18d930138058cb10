import Model

/// Prices follow the booking: `scheduling.book` evaluates the price again, with the same rules,
/// for the slot it is about to book and the service and fields as they now stand. A quote made
/// for the requested time (8 pm, after hours) does not stay on a 7 am alternative.
///
/// A lower price is applied. A higher one goes by `pricing.on_increase`: `ask` puts it to the
/// customer and books only on a yes, `apply` books at it, `keep_quote` books at the quote.
extension BookAgent {
    /// What booking does about the price.
    enum Repricing {
        /// Book with the context's price: no quote to compare, the same price, or the quote kept.
        case keep(reasons: [String])
        /// Book at the new price (`price` replaced; the quote it replaces kept as `price.previous`).
        case apply(price: JSONObject, summary: String, reasons: [String])
        /// Do not book now: the result asks the customer, or reports their no.
        case stop(StepResult)
    }

    /// How long the customer has to answer a higher price.
    static let confirmationTimeout: Int64 = 1800

    func reprice(_ input: StepInput, service: Service, start: String) async -> Repricing {
        guard let quoted = input.value("price")?.objectValue, let quotedTotal = quoted["total"]?.intValue,
              let millis = Timestamp.parseISO8601(start) else { return .keep(reasons: []) }
        let currency = input.config.identity.currency
        let before = Money(minorUnits: quotedTotal, currency: currency)
        let first = "first quote \(before.formatted)" + Self.listing(quoted["adjustments"], currency: currency)
        let evaluated: Quotation
        switch Quotation.evaluate(input, service: service, at: millis / 1000, timing: "re-priced for the booked slot \(start)") {
        case .success(let found): evaluated = found
        case .failure(let unpriced): return .keep(reasons: [first, "kept the quote: \(unpriced.reason)"])
        }
        let after = evaluated.quote.total
        let second = "re-evaluated: " + evaluated.reasons.joined(separator: "; ")
        if after == before, evaluated.deposit?.minorUnits ?? 0 == quoted["deposit"]?.intValue ?? 0 {
            return .keep(reasons: ["price unchanged for the booked slot: \(after.formatted)"])
        }
        var price = evaluated.json
        var previous = quoted
        previous["previous"] = nil
        price["previous"] = .object(previous)
        let change = Self.change(from: quoted["adjustments"], to: evaluated.quote.adjustments)
        guard after > before else {
            return .apply(price: price, summary: "price lowered from \(before.formatted) to \(after.formatted)",
                          reasons: [first, second, "the booked slot prices lower: \(after.formatted) applied" + change])
        }
        let policy = input.config.pricing.onIncrease ?? .default(routesDeclined: input.routedOutcomes.contains(.declined))
        let rise = "the booked slot prices higher: \(after.formatted) instead of \(before.formatted)" + change
        switch policy {
        case .apply:
            return .apply(price: price, summary: "price raised from \(before.formatted) to \(after.formatted)",
                          reasons: [first, second, rise, "applied (pricing.on_increase: apply)"])
        case .keepQuote:
            let why = input.config.pricing.onIncrease == nil ? "the booking state has no transition for declined, so the customer is not asked"
                : "pricing.on_increase: keep_quote"
            return .keep(reasons: [first, second, rise, "kept the quote of \(before.formatted) (\(why))"])
        case .ask:
            let quotedRules = Set((quoted["adjustments"]?.arrayValue ?? []).compactMap { $0["rule"]?.stringValue })
            let added = evaluated.quote.adjustments.filter { !quotedRules.contains($0.ruleID) }.map(\.description)
            let question = Self.question(input, before: before, after: after, because: added)
            return await confirm(input, question: question, before: before, after: after, price: price, reasons: [first, second, rise])
        }
    }

    /// Puts a higher price to the customer, or reads their answer.
    private func confirm(_ input: StepInput, question: (text: String, spoken: String), before: Money, after: Money, price: JSONObject,
                         reasons: [String]) async -> Repricing {
        switch input.resumption {
        case nil:
            var result = await ConversationAgent().ask(input, text: question.text, spoken: question.spoken, effect: "price-question",
                                                       timeout: Self.confirmationTimeout)
            if result.park != nil { result.decision.summary = "asked the customer to confirm \(after.formatted); waiting" }
            result.decision.reasons = reasons + result.decision.reasons
            return .stop(result)
        case .reply(let text):
            let words = Set(WordMatch.words(of: text).map { $0.lowercased() })
            if !words.isDisjoint(with: ConversationAgent.accepts), words.isDisjoint(with: ConversationAgent.declines) {
                return .apply(price: price, summary: "price raised from \(before.formatted) to \(after.formatted), as the customer agreed",
                              reasons: reasons + ["the customer accepted \(after.formatted): replied \"\(text)\""])
            }
            return .stop(.outcome(.declined, "not booked: the customer did not accept \(after.formatted)",
                                  reasons: reasons + ["replied \"\(text)\" (only a yes books at the new price)"],
                                  delta: ["reply": ["text": .string(text)]]))
        case .timeout:
            return .stop(.outcome(.declined, "not booked: no answer about the new price in time",
                                  reasons: reasons + ["waited \(Self.confirmationTimeout / 60) minutes"]))
        case .approval:
            return .stop(.outcome(.error, "an approval cannot answer a price question", reasons: reasons))
        }
    }

    /// "The price for a drain cleaning on Tue, Nov 24 at 6:00 PM is $223.50, not the $149.00 we
    /// quoted (After-hours visit). Reply YES to book at $223.50, or NO to cancel."
    static func question(_ input: StepInput, before: Money, after: Money, because rules: [String]) -> (text: String, spoken: String) {
        let name = input.service?.name.lowercased() ?? "booking"
        var environment = input.config.templateEnvironment
        environment.now = input.now
        let when = (try? Template(parsing: "{{slot.start | datetime}}"))?.render(.object(input.context), in: environment) ?? ""
        let because = rules.isEmpty ? "" : " (" + rules.joined(separator: ", ") + ")"
        let statement = "The price for \(name) on \(when) is \(after.formatted), not the \(before.formatted) we quoted\(because)."
        return (statement + " Reply YES to book at \(after.formatted), or NO to cancel.",
                statement + " Say yes to book at that price, or no to cancel.")
    }

    /// ` (after_hours +$74.50, member −$14.90)`, or nothing for a quote without adjustments.
    static func listing(_ adjustments: JSON?, currency: Currency) -> String {
        let items = (adjustments?.arrayValue ?? []).compactMap { item -> String? in
            guard let rule = item["rule"]?.stringValue, let amount = item["amount"]?.intValue else { return nil }
            return "\(rule) \(amount >= 0 ? "+" : "−")\(Money(minorUnits: abs(amount), currency: currency).formatted)"
        }
        return items.isEmpty ? "" : " (" + items.joined(separator: ", ") + ")"
    }

    /// `: no longer applies: after_hours; now applies: urgent`, from the quote's rules to the new ones.
    static func change(from quoted: JSON?, to adjustments: [PriceAdjustment]) -> String {
        let old = (quoted?.arrayValue ?? []).compactMap { $0["rule"]?.stringValue }
        let new = adjustments.map(\.ruleID)
        var parts: [String] = []
        let dropped = old.filter { !new.contains($0) }
        let added = new.filter { !old.contains($0) }
        if !dropped.isEmpty { parts.append("no longer applies: " + dropped.joined(separator: ", ")) }
        if !added.isEmpty { parts.append("now applies: " + added.joined(separator: ", ")) }
        return parts.isEmpty ? "" : " — " + parts.joined(separator: "; ")
    }
}
