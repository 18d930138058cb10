import Integration
import Model
import Native
import Sandbox
import Testing

/// Riverside Physiotherapy's appointment failing after each of its effectful steps: the
/// compensations run newest first before the failure path, and patient and front desk are told
/// what was undone.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct RiversidePhysioCompensationTests {
    static let email = "priya@example.co.uk"

    @Test func depositFailure_cancelsTheAppointment_beforeBothPartiesAreTold() async throws {
        let harness = try Harness()
        harness.sandbox.addFault(FaultRule(method: "POST", pathPrefix: "/stripe/v1/checkout/sessions", errorRate: 1, errorStatus: 500))
        let phone = "+447700900561"
        let trace = try await RiversidePhysioTests.book(harness, phone: phone, email: Self.email, at: nil)
        #expect(trace["status"] == "failed", "\(trace["reason"] ?? .null)")
        #expect(AcmePlumbingCompensationTests.states(trace, from: "deposit")
                == ["deposit", "compensate/book/0", "booking_problem", "booking_problem_ops"])
        #expect(harness.sandbox.state.value(at: "calcom.accepted")?.intValue == 0)
        let patient = JSON.texts(harness.outbox(to: phone))
        #expect(patient.contains { $0.contains(": the booking was cancelled. Nothing was charged; our front desk will call you.") }, "\(patient)")
        let slack = JSON.texts(harness.outbox().filter { $0["kind"] == "slack" })
        #expect(slack.contains { $0.contains("failed; undone: the booking was cancelled. Please call them.") }, "\(slack)")
    }

    @Test func confirmationFailure_withdrawsTheDepositLink_thenCancelsTheAppointment() async throws {
        let harness = try Harness()
        harness.sandbox.addFault(FaultRule(method: "POST", pathPrefix: "/twilio", errorRate: 1, errorStatus: 400, times: 1))
        let phone = "+447700900562"
        let trace = try await RiversidePhysioTests.book(harness, phone: phone, email: Self.email, at: nil)
        #expect(trace["status"] == "failed", "\(trace["reason"] ?? .null)")
        #expect(AcmePlumbingCompensationTests.states(trace, from: "deposit")
                == ["deposit", "confirm_sms", "compensate/deposit/0", "compensate/book/0", "booking_problem", "booking_problem_ops"])
        let sessions = AcmePlumbingCompensationTests.stripeObjects(harness, "checkout.session")
        #expect(sessions.count == 1 && sessions.first?["status"] == "expired", "\(sessions)")
        #expect(AcmePlumbingCompensationTests.stripeObjects(harness, "refund").isEmpty)
        #expect(harness.sandbox.state.value(at: "calcom.accepted")?.intValue == 0)
        // No confirmation email went out for an appointment that was undone.
        #expect(harness.outbox(to: Self.email).isEmpty)
        let patient = JSON.texts(harness.outbox(to: phone))
        #expect(patient.last?.contains("the booking was cancelled and the deposit link was withdrawn (nothing had been paid). "
                                       + "Nothing was charged") == true, "\(patient)")
        let slack = JSON.texts(harness.outbox().filter { $0["kind"] == "slack" })
        #expect(slack.contains { $0.contains("undone: the booking was cancelled and the deposit link was withdrawn") }, "\(slack)")
    }
}
