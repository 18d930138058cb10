import Integration
import Model
import Native
import Sandbox
import Testing

/// Riverside Physiotherapy's stories: SMS and email confirmations, and refunds that the front
/// desk approves.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct RiversidePhysioTests {
    static let tenant = "riverside-physio"
    static let london = TenantTimeZone(identifier: "Europe/London")!

    static func book(_ harness: Harness, phone: String, email: String, at requested: String?) async throws -> JSON {
        var fields: JSONObject = [:]
        if let requested { fields["requested_time"] = .string(requested) }
        let response = try await harness.call(
            "POST", "/v1/tenants/\(tenant)/interactions", key: Harness.riversideKey,
            json: ["from": ["phone": .string(phone), "email": .string(email), "name": "Priya Shah"],
                   "text": "I'm a new patient, I hurt my knee playing football", "fields": .object(fields)],
            headers: [("Prefer", "wait=20")])
        let id = try #require(response.json?["id"]?.stringValue, "\(response.bodyText)")
        return try await harness.trace(tenant, id, key: Harness.riversideOperatorKey)
    }

    @Test func appointment_isConfirmedBySMSAndEmail() async throws {
        let harness = try Harness()
        let phone = "+447700900555"
        let email = "priya@example.co.uk"
        let trace = try await Self.book(harness, phone: phone, email: email, at: nil)
        #expect(trace["status"] == "completed", "\(trace["reason"] ?? .null) \(AcmePlumbingTests.states(trace))")
        #expect(trace.value(at: "context.service.id") == "initial_assessment")
        #expect(JSON.texts(harness.outbox(to: phone)).count == 1)
        let emails = harness.outbox(to: email)
        #expect(emails.count == 1)
        #expect(emails.first?["kind"] == "email")
        #expect(emails.first?["subject"]?.stringValue?.isEmpty == false)
        #expect(JSON.texts(harness.outbox().filter { $0["kind"] == "slack" }).count == 1)
    }

    @Test func cancellation_refundWaitsForTheFrontDesk_thenBothChannelsAreTold() async throws {
        let harness = try Harness()
        let phone = "+447700900556"
        let email = "sam@example.co.uk"
        let day = StoryTime.weekday(atLeast: 4, zone: Self.london)
        let booking = try await Self.book(harness, phone: phone, email: email, at: StoryTime.iso(day, hour: 10, zone: Self.london))
        #expect(booking["status"] == "completed", "\(booking["reason"] ?? .null)")
        let session = try #require(booking.value(at: "context.payment.session_id")?.stringValue)
        _ = try await harness.sandboxCall("POST", "/sandbox/checkout/\(session)/pay")
        try await Task.sleep(nanoseconds: 300_000_000)

        let uid = try #require(booking.value(at: "context.booking.id")?.stringValue)
        _ = try await harness.sandboxCall("POST", "/sandbox/calcom/bookings/\(uid)/cancel", json: ["reason": "Feeling better"])
        var cancellation = JSON.null
        for _ in 0..<100 {
            let list = try await harness.call("GET", "/v1/tenants/\(Self.tenant)/interactions?status=awaiting_approval",
                                              key: Harness.riversideOperatorKey)
            if let first = list.json?["data"]?[0] { cancellation = first; break }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        let id = try #require(cancellation["id"]?.stringValue, "no refund waiting for approval")
        #expect(harness.sandbox.state.value(at: "stripe.counts.refund") == nil)

        let approved = try await harness.call("POST", "/v1/tenants/\(Self.tenant)/interactions/\(id)/approve",
                                              key: Harness.riversideOperatorKey, json: ["by": "front-desk"])
        #expect(approved.json?["status"] == "completed", "\(approved.bodyText)")
        #expect(harness.sandbox.state.value(at: "stripe.counts.refund")?.intValue == 1)
        #expect(JSON.texts(harness.outbox(to: phone)).last?.contains("£25.00") == true, "\(JSON.texts(harness.outbox(to: phone)))")
        // The confirmation, one deposit receipt (Stripe reports the payment twice), the refund.
        let subjects = harness.outbox(to: email).compactMap { $0["subject"]?.stringValue }
        #expect(subjects.count == 3, "\(subjects)")
        #expect(subjects.last?.contains("refund of £25.00") == true)
    }
}
