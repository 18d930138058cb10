import Testing
@testable import Model

struct PricingRulesTests {
    let usd = Currency.usd
    private func money(_ cents: Int64) -> Money { Money(minorUnits: cents, currency: usd) }

    private var rules: PricingRules {
        PricingRules(rounding: .halfUp, rules: [
            PricingRule(id: "member", description: "Member discount", kind: .discount,
                        adjustment: .percent(Percent(basisPoints: 1000)), condition: try! condition("customer.tags contains member")),
            PricingRule(id: "after_hours", description: "After hours", kind: .surcharge,
                        adjustment: .percent(Percent(basisPoints: 5000)), condition: try! condition("not slot.within_hours")),
            PricingRule(id: "emergency", description: "Emergency call-out", kind: .surcharge, adjustment: .amount(money(9500)),
                        condition: try! condition("interaction.text contains emergency or interaction.text contains 'burst pipe'")),
            PricingRule(id: "night", description: "Night", kind: .surcharge, adjustment: .amount(money(1000)),
                        condition: try! condition("slot.time in [22:00-06:00] and slot.weekday == saturday")),
        ])
    }

    private func scope(weekday: Weekday, time: TimeOfDay, withinHours: Bool, text: String = "", tags: [String] = []) -> MockScope {
        MockScope(["slot.weekday": .weekday(weekday), "slot.time": .time(time), "slot.within_hours": .bool(withinHours),
                   "interaction.text": .text(text), "customer.tags": .list(tags)])
    }

    @Test func surchargesOnTheBase_thenDiscountsOnTheSurchargedPrice() {
        let context = scope(weekday: .tuesday, time: TimeOfDay(hour: 20, minute: 0), withinHours: false,
                            text: "EMERGENCY! a burst pipe in the kitchen", tags: ["member"])
        let quote = rules.quote(base: money(15_000), in: context)
        // 150 + 75 (50% of base) + 95 = 320; member 10% of 320 = 32 → 288.
        #expect(quote.adjustments.map(\.ruleID) == ["after_hours", "emergency", "member"])
        #expect(quote.adjustments.map(\.amount.minorUnits) == [7500, 9500, -3200])
        #expect(quote.total == money(28_800))
    }

    @Test func conditionsMustAllHold_andWordsMatchWhole() {
        let context = scope(weekday: .saturday, time: TimeOfDay(hour: 23, minute: 30), withinHours: true,
                            text: "not an emergencyroom, a burst  PIPE")
        let quote = rules.quote(base: money(10_000), in: context)
        #expect(quote.adjustments.map(\.ruleID) == ["emergency", "night"])
        let sunday = scope(weekday: .sunday, time: TimeOfDay(hour: 23, minute: 30), withinHours: true)
        #expect(rules.quote(base: money(10_000), in: sunday).total == money(10_000))
    }

    @Test func total_isNeverNegative() {
        let big = PricingRules(rules: [PricingRule(id: "free", description: "", kind: .discount, adjustment: .amount(money(99_999)))])
        #expect(big.quote(base: money(5000), in: MockScope([:])).total == money(0))
    }

    @Test func addOns_joinTheSubtotal_thatPercentagesApplyTo() {
        let rules = PricingRules(rules: [
            PricingRule(id: "first_clean", description: "First clean", kind: .surcharge, adjustment: .percent(Percent(basisPoints: 2000))),
            PricingRule(id: "regular", description: "Regular", kind: .discount, adjustment: .percent(Percent(basisPoints: 1000))),
        ])
        let oven = PriceAdjustment(ruleID: "add_on", description: "extras oven", amount: money(3500))
        let quote = rules.quote(base: money(13_500), addOns: [oven], in: MockScope([:]))
        // 135 + 35 = 170; +20% of 170 = 34 → 204; −10% of 204 = 20.40 → 183.60.
        #expect(quote.adjustments.map(\.amount.minorUnits) == [3500, 3400, -2040])
        #expect(quote.total == money(18_360))
    }
}
