import Integration
import Model
import Native
import Testing

/// Acme Plumbing's stories, end to end over real HTTP against the sandbox.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct AcmePlumbingTests {
    @Test func apiBooking_confirmsTheCustomer_thenTheStripePaymentSendsAReceipt() async throws {
        let harness = try Harness()
        let phone = "+15125550188"
        let response = try await harness.call(
            "POST", "/v1/tenants/acme-plumbing/interactions", key: Harness.acmeKey,
            json: ["from": ["phone": .string(phone), "name": "Dana Reyes", "email": "dana@example.com"],
                   "text": "My kitchen sink is clogged, can someone come out?", "fields": ["postal_code": "78704"]],
            headers: [("Prefer", "wait=20")])
        #expect(response.status == 200, "\(response.bodyText)")
        let id = try #require(response.json?["id"]?.stringValue)
        #expect(response.json?["status"] == "completed", "\(response.json?["reason"]?.stringValue ?? response.bodyText)")

        let trace = try await harness.trace("acme-plumbing", id, key: Harness.acmeOperatorKey)
        let states = trace["steps"]?.arrayValue?.compactMap { $0["state"]?.stringValue } ?? []
        #expect(states == ["identify", "find_customer", "check_area", "quote", "find_slot", "book", "deposit", "confirm", "dispatch", "note"],
                "\(states)")
        let texts = harness.outbox(to: phone).compactMap { $0["body"]?.stringValue ?? $0["text"]?.stringValue }
        #expect(texts.contains { $0.contains("You're booked!") && $0.contains("Drain cleaning") }, "\(texts)")
        let sessionID = try #require(trace.value(at: "context.payment.session_id")?.stringValue)

        // The customer pays the deposit: the sandbox's Stripe sends a signed webhook back.
        let paid = try await harness.sandboxCall("POST", "/sandbox/checkout/\(sessionID)/pay")
        #expect(paid.isSuccess || paid.status == 303, "\(paid.bodyText)")
        let list = try await harness.call("GET", "/v1/tenants/acme-plumbing/interactions?limit=5", key: Harness.acmeOperatorKey)
        let newest = try #require(list.json?["data"]?[0]?["id"]?.stringValue)
        let payment = try await harness.waitFor("acme-plumbing", newest, key: Harness.acmeOperatorKey, statuses: ["completed", "failed", "dead"])
        #expect(payment["status"] == "completed", "\(payment.serialized())")
        let receipts = harness.outbox(to: phone).compactMap { $0["body"]?.stringValue ?? $0["text"]?.stringValue }
        #expect(receipts.contains { $0.contains("We received your payment") }, "\(receipts)")
    }
}
