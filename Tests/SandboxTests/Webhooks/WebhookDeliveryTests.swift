import HTTP
import Model
import Native
import Sandbox
import Testing

/// The customer's actions in the sandbox send the matching signed webhooks to the registered target.
@Suite(.timeLimit(.minutes(1)))
struct WebhookDeliveryTests {
    static let stripeKey = "sk_test_webhooks_account"

    @Test func payingACheckout_sendsSessionCompletedThenPaymentSucceeded_signed() async throws {
        let receiver = try WebhookReceiver()
        let client = try SandboxClient()
        client.sandbox.register(WebhookTarget(provider: .stripe, url: receiver.url + "/v1/tenants/acme/webhooks/stripe", secret: "whsec_acme",
                                              account: Self.stripeKey))
        let form = "mode=payment&success_url=https%3A%2F%2Fa.example%2Fok&line_items%5B0%5D%5Bquantity%5D=1"
            + "&line_items%5B0%5D%5Bprice_data%5D%5Bcurrency%5D=usd&line_items%5B0%5D%5Bprice_data%5D%5Bunit_amount%5D=2500"
            + "&line_items%5B0%5D%5Bprice_data%5D%5Bproduct_data%5D%5Bname%5D=Deposit&payment_intent_data%5Bmetadata%5D%5Bbooking_id%5D=b-9"
        let created = try await client.send("POST", "/stripe/v1/checkout/sessions",
                                            headers: [("Authorization", "Bearer \(Self.stripeKey)"),
                                                      ("Content-Type", "application/x-www-form-urlencoded")], body: form)
        #expect(created.status == 200)
        let session = try JSONParser.parse(created.body)
        let id = try #require(session["id"]?.stringValue)
        let (status, paid) = try await client.json("POST", "/sandbox/checkout/\(id)/pay")
        #expect(status == 200)
        #expect(paid.value(at: "deliveries.0.status")?.intValue == 200)

        let hooks = receiver.requests
        #expect(hooks.count == 2)
        let events = try hooks.map { try JSONParser.parse($0.body) }
        #expect(events.map { $0["type"]?.stringValue } == ["checkout.session.completed", "payment_intent.succeeded"])
        #expect(events[0].value(at: "data.object.id")?.stringValue == id)
        #expect(events[0].value(at: "data.object.payment_status")?.stringValue == "paid")
        #expect(events[1].value(at: "data.object.status")?.stringValue == "succeeded")
        #expect(events[1].value(at: "data.object.metadata.booking_id")?.stringValue == "b-9")
        for hook in hooks {
            let header = try #require(hook.headers["Stripe-Signature"])
            let timestamp = try #require(Int64(header.split(separator: ",")[0].dropFirst(2)))
            #expect(header == WebhookSignatures.stripe(secret: "whsec_acme", timestamp: timestamp, body: hook.body))
            #expect(abs(timestamp - Clock.unixSeconds()) < 60)
            #expect(hook.path == "/v1/tenants/acme/webhooks/stripe")
        }
        // Paying twice is refused: the session is complete.
        #expect(try await client.json("POST", "/sandbox/checkout/\(id)/pay").0 == 409)
        try await client.stop()
        try await receiver.stop()
    }

    @Test func cancellingInTheCalendar_sendsBookingCancelled_signed() async throws {
        let receiver = try WebhookReceiver()
        let client = try SandboxClient()
        client.sandbox.register(WebhookTarget(provider: .calcom, url: receiver.url + "/hooks/calcom", secret: "calsecret"))
        var day = Clock.unixSeconds() / 86_400 + 2
        while ((day % 7) + 11) % 7 != 2 { day += 1 }
        let start = Timestamp.iso8601(seconds: day * 86_400 + 13 * 3600)
        let (status, created) = try await client.json("POST", "/calcom/v2/bookings", [
            "start": .string(start), "eventTypeId": 5, "attendee": ["name": "Ann", "email": "ann@example.com", "timeZone": "UTC"],
            "metadata": ["switchboard_key": "i-1:book:calcom.createBooking"],
        ], headers: [("Authorization", "Bearer cal_test_x"), ("cal-api-version", "2024-08-13")])
        #expect(status == 201)
        let uid = try #require(created.value(at: "data.uid")?.stringValue)
        let (cancelStatus, result) = try await client.json("POST", "/sandbox/calcom/bookings/\(uid)/cancel", ["reason": "sick"])
        #expect(cancelStatus == 200)
        #expect(result.value(at: "booking.status")?.stringValue == "cancelled")
        let hook = try #require(receiver.requests.first)
        #expect(hook.headers["X-Cal-Signature-256"] == WebhookSignatures.calcom(secret: "calsecret", body: hook.body))
        let event = try JSONParser.parse(hook.body)
        #expect(event["triggerEvent"]?.stringValue == "BOOKING_CANCELLED")
        #expect(event.value(at: "payload.uid")?.stringValue == uid)
        #expect(event.value(at: "payload.cancellationReason")?.stringValue == "sick")
        #expect(event.value(at: "payload.metadata.switchboard_key")?.stringValue == "i-1:book:calcom.createBooking")
        try await client.stop()
        try await receiver.stop()
    }

    @Test func inboundText_isSignedForTheRegisteredNumber() async throws {
        let receiver = try WebhookReceiver()
        let client = try SandboxClient()
        let url = receiver.url + "/v1/tenants/acme/webhooks/twilio"
        client.sandbox.register(WebhookTarget(provider: .twilio, url: url, secret: "acme-auth-token",
                                              account: "AC0123456789abcdef0123456789abcdef", number: "+14155550100"))
        let (status, result) = try await client.json("POST", "/sandbox/sms/inbound",
                                                     ["from": "+14155550101", "to": "+14155550100", "body": "can someone come tomorrow?"])
        #expect(status == 200)
        #expect(result.value(at: "delivery.status")?.intValue == 200)
        let hook = try #require(receiver.requests.first)
        #expect(hook.mediaType == "application/x-www-form-urlencoded")
        var fields: [(String, String)] = []
        for pair in hook.bodyString.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            fields.append((PercentDecoding.decode(parts[0], plusAsSpace: true)!, PercentDecoding.decode(parts[1], plusAsSpace: true)!))
        }
        #expect(fields.first { $0.0 == "Body" }?.1 == "can someone come tomorrow?")
        #expect(fields.first { $0.0 == "AccountSid" }?.1 == "AC0123456789abcdef0123456789abcdef")
        #expect(hook.headers["X-Twilio-Signature"] == WebhookSignatures.twilio(authToken: "acme-auth-token", url: url, parameters: fields))
        #expect(client.sandbox.outbox(kind: "sms").first?["direction"]?.stringValue == "inbound")
        try await client.stop()
        try await receiver.stop()
    }

    @Test func statusCallback_reportsDeliverySignedWithTheAccountToken() async throws {
        let receiver = try WebhookReceiver()
        let client = try SandboxClient()
        let sid = "AC0123456789abcdef0123456789abcdef"
        let callback = receiver.url + "/status"
        let body = "To=%2B14155550101&From=%2B14155550100&Body=hi&StatusCallback=\(FormText.encode(callback))"
        let response = try await client.send("POST", "/twilio/2010-04-01/Accounts/\(sid)/Messages.json",
                                             headers: [("Authorization", "Basic " + Base64.encode(Array("\(sid):tok".utf8))),
                                                       ("Content-Type", "application/x-www-form-urlencoded")], body: body)
        #expect(response.status == 201)
        for _ in 0..<100 where receiver.requests.isEmpty { try await Task.sleep(nanoseconds: 10_000_000) }
        let hook = try #require(receiver.requests.first)
        #expect(hook.bodyString.contains("MessageStatus=delivered"))
        #expect(hook.headers["X-Twilio-Signature"] != nil)
        try await client.stop()
        try await receiver.stop()
    }
}

enum FormText {
    static func encode(_ text: String) -> String {
        text.utf8.map { byte -> String in
            let c = Character(Unicode.Scalar(byte))
            return c.isLetter || c.isNumber || c == "." || c == "-" || c == "_" ? String(c) : "%" + String(byte, radix: 16, uppercase: true)
        }.joined()
    }
}
