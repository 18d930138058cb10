/// Add-ons, surcharges and discounts on a service's base price, applied in one documented order:
///
/// 1. Start from the base: the service's price, or its price table's entry for the request.
/// 2. Add each selected add-on; base plus add-ons is the **subtotal**.
/// 3. Every matching surcharge, in file order, adds its amount or its percentage **of the
///    subtotal**.
/// 4. Every matching discount, in file order, subtracts its amount or its percentage **of the
///    subtotal plus surcharges** (discounts never compound on each other).
/// 5. Each percentage is rounded to a minor unit by `rounding` as it is computed; the total is
///    never below zero.
public struct PricingRules: Sendable, Hashable {
    public var rounding: RoundingRule
    public var rules: [PricingRule]
    /// What booking does when the booked slot, service or fields price higher than the quote;
    /// nil when the file does not say (`PriceIncrease.default(routesDeclined:)`).
    public var onIncrease: PriceIncrease?

    public init(rounding: RoundingRule = .halfUp, rules: [PricingRule] = [], onIncrease: PriceIncrease? = nil) {
        self.rounding = rounding
        self.rules = rules
        self.onIncrease = onIncrease
    }

    /// The price of `base` with `addOns` in `scope`, with every add-on and rule that applied.
    public func quote(base: Money, addOns: [PriceAdjustment] = [], in scope: some ConditionScope) -> PriceQuote {
        var adjustments = addOns
        let subtotal = addOns.reduce(base) { $0 + $1.amount }
        var surcharged = subtotal
        for rule in rules where rule.kind == .surcharge && rule.condition.holds(in: scope) {
            let amount = rule.adjustment.amount(of: subtotal, rounding: rounding)
            adjustments.append(PriceAdjustment(ruleID: rule.id, description: rule.description, amount: amount, condition: rule.condition.source))
            surcharged = surcharged + amount
        }
        var total = surcharged
        for rule in rules where rule.kind == .discount && rule.condition.holds(in: scope) {
            let amount = rule.adjustment.amount(of: surcharged, rounding: rounding)
            adjustments.append(PriceAdjustment(ruleID: rule.id, description: rule.description,
                                               amount: Money(minorUnits: -amount.minorUnits, currency: base.currency),
                                               condition: rule.condition.source))
            total = total - amount
        }
        if total.minorUnits < 0 { total = .zero(base.currency) }
        return PriceQuote(base: base, adjustments: adjustments, total: total)
    }
}

/// One surcharge or discount and when it applies.
public struct PricingRule: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case surcharge, discount }

    public var id: String
    /// Shown to the operator and, through `price.adjustments`, to templates.
    public var description: String
    public var kind: Kind
    public var adjustment: Adjustment
    /// Written as a condition, or as the `when:` shorthand (which the loader turns into one).
    public var condition: ConditionExpression

    public init(id: String, description: String, kind: Kind, adjustment: Adjustment,
                condition: ConditionExpression = ConditionExpression(source: "true", condition: .constant(true))) {
        self.id = id
        self.description = description
        self.kind = kind
        self.adjustment = adjustment
        self.condition = condition
    }

    public enum Adjustment: Sendable, Hashable {
        case amount(Money)
        case percent(Percent)

        func amount(of price: Money, rounding: RoundingRule) -> Money {
            switch self {
            case .amount(let money): return money
            case .percent(let percent): return price.applying(percent, rounding: rounding)
            }
        }
    }
}

/// A priced service: the base, each adjustment (add-ons and surcharges positive, discounts
/// negative), the total.
public struct PriceQuote: Sendable, Hashable {
    public var base: Money
    public var adjustments: [PriceAdjustment]
    public var total: Money
}

public struct PriceAdjustment: Sendable, Hashable {
    /// The pricing rule's id, or `add_on` for an add-on.
    public var ruleID: String
    public var description: String
    public var amount: Money
    /// The condition that made a rule apply, as written (or as the shorthand reads).
    public var condition: String?

    public init(ruleID: String, description: String, amount: Money, condition: String? = nil) {
        self.ruleID = ruleID
        self.description = description
        self.amount = amount
        self.condition = condition
    }
}
