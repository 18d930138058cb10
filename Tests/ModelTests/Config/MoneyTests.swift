import Testing
@testable import Model

struct MoneyTests {
    @Test func parse_decimalTextExactly() throws {
        #expect(try Money.parse("89.00", currency: .usd).get().minorUnits == 8900)
        #expect(try Money.parse("89.5", currency: .usd).get().minorUnits == 8950)
        #expect(try Money.parse("1450", currency: .usd).get().minorUnits == 145_000)
        #expect(try Money.parse("0.10", currency: .usd).get().minorUnits == 10)
        #expect(try Money.parse("1200", currency: Currency(code: "JPY")!).get().minorUnits == 1200)
        #expect(try Money.parse("12.50", currency: .usd).get().decimalText == "12.50")
    }

    @Test func parse_rejectsWhatIsNotAnAmount() {
        #expect(Money.parse("eighty", currency: .usd) == .failure(.notADecimal))
        #expect(Money.parse("$80", currency: .usd) == .failure(.notADecimal))
        #expect(Money.parse("80.", currency: .usd) == .failure(.notADecimal))
        #expect(Money.parse("-5", currency: .usd) == .failure(.notADecimal))
        #expect(Money.parse("89.001", currency: .usd) == .failure(.tooManyDecimals(allowed: 2)))
        #expect(Money.parse("89.5", currency: Currency(code: "JPY")!) == .failure(.tooManyDecimals(allowed: 0)))
        #expect(Money.parse("9999999999999", currency: .usd) == .failure(.tooLarge))
    }

    @Test func formatted_groupsThousands() {
        #expect(Money(minorUnits: 123_456_789, currency: .usd).formatted == "$1,234,567.89")
        #expect(Money(minorUnits: 5, currency: .gbp).formatted == "£0.05")
        #expect(Money(minorUnits: 8000, currency: Currency(code: "CHF")!).formatted == "CHF 80.00")
    }

    @Test func percent_parsesAndRoundsByRule() throws {
        #expect(Percent.parse("25%")?.basisPoints == 2500)
        #expect(Percent.parse("12.5%")?.basisPoints == 1250)
        #expect(Percent.parse("0.25%")?.basisPoints == 25)
        #expect(Percent.parse("25") == nil)
        #expect(Percent.parse("x%") == nil)
        #expect(Percent(basisPoints: 1250).description == "12.5%")
        let price = Money(minorUnits: 8950, currency: .usd)  // 15% = 1342.5 cents
        let fifteen = Percent(basisPoints: 1500)
        #expect(price.applying(fifteen, rounding: .halfUp).minorUnits == 1343)
        #expect(price.applying(fifteen, rounding: .halfEven).minorUnits == 1342)
        #expect(price.applying(fifteen, rounding: .down).minorUnits == 1342)
        #expect(RoundingRule.halfEven.divide(13_435, by: 10) == 1344)
        #expect(RoundingRule.halfUp.divide(-25, by: 10) == -3)
    }

    @Test func deposit_isAShareOrAFixedAmount_neverAboveTheTotal() {
        let total = Money(minorUnits: 20_000, currency: .usd)
        #expect(Deposit.percent(Percent(basisPoints: 2500)).amount(for: total, rounding: .halfUp).minorUnits == 5000)
        #expect(Deposit.amount(Money(minorUnits: 30_000, currency: .usd)).amount(for: total, rounding: .halfUp) == total)
    }

    @Test func cancellation_picksTheLongestNoticeMet() {
        let policy = CancellationPolicy(refunds: [RefundRule(notice: .seconds(2 * 3600), refund: Percent(basisPoints: 5000)),
                                                  RefundRule(notice: .seconds(24 * 3600), refund: .hundred)])
        let paid = Money(minorUnits: 5000, currency: .gbp)
        #expect(policy.refund(of: paid, notice: .seconds(48 * 3600), rounding: .halfUp).minorUnits == 5000)
        #expect(policy.refund(of: paid, notice: .seconds(3 * 3600), rounding: .halfUp).minorUnits == 2500)
        #expect(policy.refund(of: paid, notice: .seconds(3600), rounding: .halfUp).minorUnits == 0)
        #expect(policy.rule(forNotice: .seconds(3600)) == nil)
    }
}
