import Model
import Testing
@testable import Routing

/// `pricing.on_increase`: what booking does when the booked slot prices higher than the quote,
/// and the `declined` transition that asking needs.
struct PriceIncreaseConfigTests {
    static let acme = TestFiles.text(TestFiles.tenants + "/acme-plumbing.yaml")
    static let declined = "on: { ok: deposit, conflict: find_slot, declined: price_declined, error: booking_problem }"
    /// Acme's file as it was before booking could ask: no `declined` transition, no states for it.
    static let withoutDeclinedPath = acme
        .replacingFirst(declined, with: "on: { ok: deposit, conflict: find_slot, error: booking_problem }")
        .replacingFirst("      price_declined:\n        agent: notify.customer\n        params: { template: no_time_agreed }\n"
                        + "        next: price_declined_ops\n      price_declined_ops:\n        agent: notify.operator\n"
                        + "        params: { template: price_declined_ops }\n        next: price_not_accepted\n"
                        + "      price_not_accepted:\n        final: failed\n        reason: customer did not accept the new price\n",
                        with: "")

    @Test func acme_asks_andRoutesTheNo() throws {
        let config = try TestFiles.load(Self.acme).get().config
        #expect(config.pricing.onIncrease == .ask)
        let book = try #require(config.flows["booking"]?.states["book"]?.step)
        #expect(book.transitions[.declined] == "price_declined")
    }

    @Test func eachPolicy_isRead() throws {
        for policy in PriceIncrease.allCases {
            let text = Self.acme.replacingFirst("on_increase: ask", with: "on_increase: \(policy.rawValue)")
            #expect(try TestFiles.load(text).get().config.pricing.onIncrease == policy)
        }
    }

    @Test func unknownPolicy_isRefusedAtTheValue_withTheChoices() {
        let text = Self.acme.replacingFirst("on_increase: ask", with: "on_increase: charge_more")
        #expect(TestFiles.problems(text) == [
            "\(RecurrenceConfigTests.position(of: "charge_more", in: text)): pricing.on_increase: unknown policy \"charge_more\"; "
                + "expected one of: ask, apply, keep_quote",
        ])
    }

    @Test func ask_withABookingStateThatCannotTakeANo_isRefusedAtTheState() {
        let text = Self.withoutDeclinedPath
        #expect(TestFiles.problems(text) == [
            "\(RecurrenceConfigTests.position(of: "      book:", in: text, column: 6)): flows.booking.states.book: scheduling.book reports "
                + "\"declined\" when the customer turns down a higher price (pricing.on_increase is ask), but the state has no transition "
                + "for it; add \"declined: <state>\" under \"on:\" (a state that tells the customer nothing was booked), or set "
                + "pricing.on_increase to apply or keep_quote",
        ])
    }

    @Test func noPolicy_andNoDeclinedTransition_loads_andKeepsTheQuote() throws {
        let text = Self.withoutDeclinedPath.replacingFirst("  on_increase: ask", with: "  # on_increase: ask")
        let snapshot = try TestFiles.load(text).get()
        #expect(snapshot.config.pricing.onIncrease == nil)
        #expect(PriceIncrease.default(routesDeclined: false) == .keepQuote)
        #expect(PriceIncrease.default(routesDeclined: true) == .ask)
    }

    @Test func declined_isRefusedOnAnAgentThatNeverReportsIt() {
        let text = Self.acme.replacingFirst("on: { ok: confirm, error: booking_problem }",
                                            with: "on: { ok: confirm, declined: booking_problem, error: booking_problem }")
        #expect(TestFiles.problems(text).contains { $0.contains("payments.deposit_link never reports declined") })
    }
}
