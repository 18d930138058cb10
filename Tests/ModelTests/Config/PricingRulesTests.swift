import Testing
@testable import Model

struct PricingRulesTests {
    let usd = Currency.usd
    private func money(_ cents: Int64) -> Money { Money(minorUnits: cents, currency: usd) }

    private var rules: PricingRules {
        PricingRules(rounding: .halfUp, rules: [
            PricingRule(id: "member", description: "Member discount", kind: .discount,
                        adjustment: .percent(Percent(basisPoints: 1000)), condition: PricingCondition(customerTags: ["member"])),
            PricingRule(id: "after_hours", description: "After hours", kind: .surcharge,
                        adjustment: .percent(Percent(basisPoints: 5000)), condition: PricingCondition(outsideBusinessHours: true)),
            PricingRule(id: "emergency", description: "Emergency call-out", kind: .surcharge,
                        adjustment: .amount(money(9500)), condition: PricingCondition(urgencyWords: ["emergency", "burst pipe"])),
            PricingRule(id: "night", description: "Night", kind: .surcharge, adjustment: .amount(money(1000)),
                        condition: PricingCondition(timeOfDay: [TimeRange.parse("22:00-06:00")!], weekdays: [.saturday])),
        ])
    }

    @Test func surchargesOnTheBase_thenDiscountsOnTheSurchargedPrice() {
        let context = PricingContext(serviceID: "drain", weekday: .tuesday, time: TimeOfDay(hour: 20, minute: 0),
                                     isWithinBusinessHours: false, text: "EMERGENCY! a burst pipe in the kitchen",
                                     customerTags: ["member"])
        let quote = rules.quote(base: money(15_000), context: context)
        // 150 + 75 (50% of base) + 95 = 320; member 10% of 320 = 32 → 288.
        #expect(quote.adjustments.map(\.ruleID) == ["after_hours", "emergency", "member"])
        #expect(quote.adjustments.map(\.amount.minorUnits) == [7500, 9500, -3200])
        #expect(quote.total == money(28_800))
    }

    @Test func conditionsMustAllHold_andWordsMatchWhole() {
        let context = PricingContext(serviceID: "drain", weekday: .saturday, time: TimeOfDay(hour: 23, minute: 30),
                                     isWithinBusinessHours: true, text: "not an emergencyroom, a burst  PIPE")
        let quote = rules.quote(base: money(10_000), context: context)
        #expect(quote.adjustments.map(\.ruleID) == ["emergency", "night"])
        let sunday = PricingContext(serviceID: "drain", weekday: .sunday, time: TimeOfDay(hour: 23, minute: 30),
                                    isWithinBusinessHours: true)
        #expect(rules.quote(base: money(10_000), context: sunday).total == money(10_000))
    }

    @Test func total_isNeverNegative() {
        let big = PricingRules(rules: [PricingRule(id: "free", description: "", kind: .discount, adjustment: .amount(money(99_999)),
                                                   condition: PricingCondition())])
        let context = PricingContext(serviceID: "x", weekday: .monday, time: TimeOfDay(minutes: 600), isWithinBusinessHours: true)
        #expect(big.quote(base: money(5000), context: context).total == money(0))
    }
}
