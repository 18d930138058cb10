import Model
import Testing
@testable import Agents

/// Which occurrences of a series a Cal.com cancellation refunds, and how much of the deposit.
struct RefundAgentSeriesTests {
    /// Four occurrences a week apart from 2030-01-07 10:00 UTC; the deposit was 8001 minor units.
    static let original: JSON = ["booking": ["recurrence": ["bookings": .array((0..<4).map { index in
        ["id": .string("b\(index)"), "start": .string(Timestamp.iso8601(seconds: start + Int64(index) * 7 * 86_400))]
    })]]]
    static let start: Int64 = 1_894_010_400
    static let gbp = Currency.known.first { $0.code == "GBP" }!

    @Test func oneOccurrence_getsItsShare_theFirstTheOddUnits() {
        let shares = RefundAgent.cancelledShares(of: Self.original, event: ["uid": "b2"], paid: 8001, now: Self.start - 86_400)
        #expect(shares == [RefundAgent.Share(uid: "b2", start: Self.start + 14 * 86_400, paid: 2000)])
        let first = RefundAgent.cancelledShares(of: Self.original, event: ["uid": "b0"], paid: 8001, now: Self.start - 86_400)
        #expect(first?.first?.paid == 2001)
    }

    @Test func allRemaining_takesEveryOccurrenceFromNow_butNotOnesRefundedBefore() {
        var original = Self.original.objectValue ?? [:]
        original["refunds"] = ["b2": "re_1"]
        let now = Self.start + 86_400  // after the first occurrence
        let shares = RefundAgent.cancelledShares(of: .object(original), event: ["uid": "b1", "recurringEvent": ["freq": 2, "interval": 1, "count": 4]],
                                                 paid: 8000, now: now)
        #expect(shares?.map(\.uid) == ["b1", "b3"])
    }

    @Test func bookingOutsideTheSeries_orNoSeries_isNotAShare() {
        #expect(RefundAgent.cancelledShares(of: Self.original, event: ["uid": "other"], paid: 8000, now: 0) == nil)
        #expect(RefundAgent.cancelledShares(of: ["booking": ["id": "b0"]], event: ["uid": "b0"], paid: 8000, now: 0) == nil)
    }

    @Test func refund_appliesThePolicyToEachOccurrencesNotice() {
        let policy = CancellationPolicy(refunds: [RefundRule(notice: .seconds(86_400), refund: Percent.hundred),
                                                  RefundRule(notice: .seconds(4 * 3600), refund: Percent(basisPoints: 5000))])
        let shares = [RefundAgent.Share(uid: "b0", start: Self.start, paid: 2000), RefundAgent.Share(uid: "b1", start: Self.start + 7 * 86_400, paid: 2000)]
        let (amount, rule) = RefundAgent.refund(shares, policy: policy, now: Self.start - 5 * 3600, currency: Self.gbp, rounding: .halfUp)
        #expect(amount.minorUnits == 1000 + 2000)
        #expect(rule.contains("50% refund with at least 4 hours notice") && rule.contains("100% refund with at least 24 hours notice"), "\(rule)")
    }
}
