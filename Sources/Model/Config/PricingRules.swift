/// Surcharges and discounts on a service's base price, applied in one documented order:
///
/// 1. Start from the service's price (the base).
/// 2. Every matching surcharge, in file order, adds its amount or its percentage **of the base**.
/// 3. Every matching discount, in file order, subtracts its amount or its percentage **of the
///    base plus surcharges** (discounts never compound on each other).
/// 4. Each percentage is rounded to a minor unit by `rounding` as it is computed; the total is
///    never below zero.
public struct PricingRules: Sendable, Hashable {
    public var rounding: RoundingRule
    public var rules: [PricingRule]

    public init(rounding: RoundingRule = .halfUp, rules: [PricingRule] = []) {
        self.rounding = rounding
        self.rules = rules
    }

    /// The price of `base` in `context`, with every rule that applied.
    public func quote(base: Money, context: PricingContext) -> PriceQuote {
        var adjustments: [PriceAdjustment] = []
        var surcharged = base
        for rule in rules where rule.kind == .surcharge && rule.condition.matches(context) {
            let amount = rule.adjustment.amount(of: base, rounding: rounding)
            adjustments.append(PriceAdjustment(ruleID: rule.id, description: rule.description, amount: amount))
            surcharged = surcharged + amount
        }
        var total = surcharged
        for rule in rules where rule.kind == .discount && rule.condition.matches(context) {
            let amount = rule.adjustment.amount(of: surcharged, rounding: rounding)
            adjustments.append(PriceAdjustment(ruleID: rule.id, description: rule.description,
                                               amount: Money(minorUnits: -amount.minorUnits, currency: base.currency)))
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
    public var condition: PricingCondition

    public init(id: String, description: String, kind: Kind, adjustment: Adjustment, condition: PricingCondition) {
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

/// A rule applies when every condition it names holds; a list condition holds when any of its
/// entries does. A rule with no conditions always applies.
public struct PricingCondition: Sendable, Hashable {
    public var timeOfDay: [TimeRange]?
    public var weekdays: Set<Weekday>?
    /// Whole words or phrases in the customer's text, case-insensitive.
    public var urgencyWords: [String]?
    public var customerTags: Set<String>?
    public var services: Set<String>?
    /// true: only outside business hours (or on a closed date); false: only inside them.
    public var outsideBusinessHours: Bool?

    public init(timeOfDay: [TimeRange]? = nil, weekdays: Set<Weekday>? = nil, urgencyWords: [String]? = nil,
                customerTags: Set<String>? = nil, services: Set<String>? = nil, outsideBusinessHours: Bool? = nil) {
        self.timeOfDay = timeOfDay
        self.weekdays = weekdays
        self.urgencyWords = urgencyWords
        self.customerTags = customerTags
        self.services = services
        self.outsideBusinessHours = outsideBusinessHours
    }

    public func matches(_ context: PricingContext) -> Bool {
        if let timeOfDay, !timeOfDay.contains(where: { $0.contains(context.time) }) { return false }
        if let weekdays, !weekdays.contains(context.weekday) { return false }
        if let services, !services.contains(context.serviceID) { return false }
        if let customerTags, customerTags.isDisjoint(with: context.customerTags) { return false }
        if let outsideBusinessHours, outsideBusinessHours == context.isWithinBusinessHours { return false }
        if let urgencyWords {
            let words = PricingContext.words(of: context.text)
            let found = urgencyWords.contains { phrase in
                let wanted = PricingContext.words(of: phrase)
                guard !wanted.isEmpty, wanted.count <= words.count else { return false }
                return (0...(words.count - wanted.count)).contains { Array(words[$0..<($0 + wanted.count)]) == wanted }
            }
            if !found { return false }
        }
        return true
    }
}

/// The facts pricing rules look at, all in the tenant's zone.
public struct PricingContext: Sendable, Hashable {
    public var serviceID: String
    /// When the job is booked for (the slot), not when the request arrived.
    public var weekday: Weekday
    public var time: TimeOfDay
    public var isWithinBusinessHours: Bool
    /// The customer's own words.
    public var text: String
    public var customerTags: Set<String>

    public init(serviceID: String, weekday: Weekday, time: TimeOfDay, isWithinBusinessHours: Bool,
                text: String = "", customerTags: Set<String> = []) {
        self.serviceID = serviceID
        self.weekday = weekday
        self.time = time
        self.isWithinBusinessHours = isWithinBusinessHours
        self.text = text
        self.customerTags = customerTags
    }

    static func words(of text: String) -> [Substring] {
        text.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "'") }
    }
}

/// A priced service: the base, each adjustment (surcharges positive, discounts negative), the total.
public struct PriceQuote: Sendable, Hashable {
    public var base: Money
    public var adjustments: [PriceAdjustment]
    public var total: Money
}

public struct PriceAdjustment: Sendable, Hashable {
    public var ruleID: String
    public var description: String
    public var amount: Money
}
