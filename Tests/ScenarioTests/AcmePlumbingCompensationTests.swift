import Integration
import Model
import Native
import Sandbox
import Testing

/// Acme Plumbing's booking failing after each of its effectful steps: the compensations run
/// newest first before the failure path, and both parties are told what was undone.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct AcmePlumbingCompensationTests {
    static let tenant = AcmePlumbingTests.tenant

    /// The states from `first` on.
    static func states(_ trace: JSON, from first: String) -> [String] {
        let states = AcmePlumbingTests.states(trace)
        return Array(states.drop { $0 != first })
    }

    static func stripeObjects(_ harness: Harness, _ type: String) -> [JSON] {
        (harness.sandbox.state.value(at: "stripe.objects")?.arrayValue ?? []).filter { $0["object"]?.stringValue == type }
    }

    @Test func depositFailure_cancelsTheBooking_beforeBothPartiesAreTold() async throws {
        let harness = try Harness()
        harness.sandbox.addFault(FaultRule(method: "POST", pathPrefix: "/stripe/v1/checkout/sessions", errorRate: 1, errorStatus: 500))
        let phone = "+15125550161"
        let trace = try await AcmePlumbingTests.book(harness, phone: phone)
        #expect(trace["status"] == "failed")
        #expect(Self.states(trace, from: "deposit") == ["deposit", "compensate/book/0", "booking_problem", "booking_problem_ops"])
        let uid = try #require(trace.value(at: "context.booking.id")?.stringValue)
        #expect(trace.value(at: "context.cancellation.id")?.stringValue == uid)
        #expect(trace.value(at: "context.compensation.count")?.intValue == 1)
        let calendar = harness.sandbox.state
        #expect(calendar.value(at: "calcom.bookings")?.intValue == 1 && calendar.value(at: "calcom.accepted")?.intValue == 0)
        let customer = JSON.texts(harness.outbox(to: phone))
        #expect(customer.contains { $0.contains("drain cleaning: the booking was cancelled. Nothing has been charged.") }, "\(customer)")
        let slack = JSON.texts(harness.outbox().filter { $0["kind"] == "slack" })
        #expect(slack.contains { $0.contains("failed; undone: the booking was cancelled — please call them") }, "\(slack)")
    }

    @Test func confirmationFailure_withdrawsTheUnpaidDepositLink_thenCancelsTheBooking() async throws {
        let harness = try Harness()
        // The confirmation text is refused once (a permanent error, not retried); the next text goes through.
        harness.sandbox.addFault(FaultRule(method: "POST", pathPrefix: "/twilio", errorRate: 1, errorStatus: 400, times: 1))
        let phone = "+15125550162"
        let trace = try await AcmePlumbingTests.book(harness, phone: phone)
        #expect(trace["status"] == "failed", "\(trace["reason"] ?? .null)")
        #expect(Self.states(trace, from: "deposit") == ["deposit", "confirm", "compensate/deposit/0", "compensate/book/0",
                                                        "booking_problem", "booking_problem_ops"])
        let refund = trace["steps"]?.arrayValue?.first { $0["state"] == "compensate/deposit/0" }
        #expect(refund?["outcome"] == "ineligible")
        #expect(refund?["undone"]?["text"] == "the deposit link was withdrawn (nothing had been paid)")
        let sessions = Self.stripeObjects(harness, "checkout.session")
        #expect(sessions.count == 1 && sessions.first?["status"] == "expired", "\(sessions)")
        #expect(Self.stripeObjects(harness, "refund").isEmpty)
        #expect(harness.sandbox.state.value(at: "calcom.accepted")?.intValue == 0)
        #expect(trace.value(at: "context.compensation.refunded")?.intValue == 0)
        let customer = JSON.texts(harness.outbox(to: phone))
        #expect(customer.last?.contains("the booking was cancelled and the deposit link was withdrawn (nothing had been paid). "
                                        + "Nothing has been charged.") == true, "\(customer)")
        let slack = JSON.texts(harness.outbox().filter { $0["kind"] == "slack" })
        #expect(slack.contains { $0.contains("undone: the booking was cancelled and the deposit link was withdrawn") }, "\(slack)")
    }

    @Test func paidDeposit_isRefundedInFull_whenALaterStepFails() async throws {
        let harness = try Harness()
        // The confirmation text hangs for a while, then fails: the customer pays the link meanwhile.
        harness.sandbox.addFault(FaultRule(method: "POST", pathPrefix: "/twilio", latencyMillis: 2000, errorRate: 1, errorStatus: 400, times: 1))
        let phone = "+15125550163"
        async let booked = AcmePlumbingTests.book(harness, phone: phone)
        var session: String?
        for _ in 0..<100 where session == nil {
            try await Task.sleep(nanoseconds: 20_000_000)
            session = Self.stripeObjects(harness, "checkout.session").first?["id"]?.stringValue
        }
        let sessionID = try #require(session)
        _ = try await harness.sandboxCall("POST", "/sandbox/checkout/\(sessionID)/pay")
        let trace = try await booked
        #expect(trace["status"] == "failed", "\(trace["reason"] ?? .null)")
        #expect(Self.states(trace, from: "deposit").prefix(4) == ["deposit", "confirm", "compensate/deposit/0", "compensate/book/0"])
        let refunds = Self.stripeObjects(harness, "refund")
        #expect(refunds.count == 1 && refunds.first?["amount"]?.intValue == 3725, "\(refunds)")
        #expect(trace.value(at: "context.compensation.refunded")?.intValue == 3725)
        #expect(harness.sandbox.state.value(at: "calcom.accepted")?.intValue == 0)
        let customer = JSON.texts(harness.outbox(to: phone))
        #expect(customer.contains { $0.contains("the booking was cancelled and the $37.25 deposit was refunded. A dispatcher") }, "\(customer)")
        #expect(!customer.contains { $0.contains("Nothing has been charged") })
        let slack = JSON.texts(harness.outbox().filter { $0["kind"] == "slack" })
        #expect(slack.contains { $0.contains("undone: the booking was cancelled and the $37.25 deposit was refunded") }, "\(slack)")
    }
}
