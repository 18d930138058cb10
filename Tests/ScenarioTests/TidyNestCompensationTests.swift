import Integration
import Model
import Native
import Sandbox
import Testing

/// Tidy Nest's series booking undone when the customer cannot be told: every occurrence
/// cancelled, the deposit link for all of them withdrawn, both parties told.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct TidyNestCompensationTests {
    @Test func confirmationFailure_cancelsEveryOccurrence_andWithdrawsTheDepositLink() async throws {
        let harness = try Harness()
        harness.sandbox.addFault(FaultRule(method: "POST", pathPrefix: "/twilio", errorRate: 1, errorStatus: 400, times: 1))
        let phone = "+15035550181"
        let zone = TidyNestCleaningTests.portland
        let first = StoryTime.iso(StoryTime.seriesStart(atLeast: 3, everyWeeks: 2, count: 3, zone: zone), hour: 10, zone: zone)
        let trace = try await TidyNestCleaningTests.book(harness, phone: phone, text: "A regular clean for our house please",
                                                         fields: ["bedrooms": 2, "postal_code": "97214", "requested_time": .string(first),
                                                                  "repeat_every_weeks": 2, "occurrences": 3])
        #expect(trace["status"] == "failed", "\(trace["reason"] ?? .null)")
        #expect(AcmePlumbingCompensationTests.states(trace, from: "deposit")
                == ["deposit", "confirm", "compensate/deposit/0", "compensate/book/0", "booking_problem", "booking_problem_ops"])
        #expect(harness.sandbox.state.value(at: "calcom.bookings")?.intValue == 3)
        #expect(harness.sandbox.state.value(at: "calcom.accepted")?.intValue == 0, "\(harness.sandbox.state.serialized())")
        let sessions = AcmePlumbingCompensationTests.stripeObjects(harness, "checkout.session")
        #expect(sessions.count == 1 && sessions.first?["status"] == "expired", "\(sessions)")
        let customer = JSON.texts(harness.outbox(to: phone))
        #expect(customer.last?.contains("your clean: the booking was cancelled and the deposit link was withdrawn") == true, "\(customer)")
    }
}
