import Integration
import Model
import Native
import Sandbox
import Testing

/// Acme Plumbing's stories, end to end over real HTTP against the sandbox.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct AcmePlumbingTests {
    static let tenant = "acme-plumbing"
    static let number = "+15125550142"

    /// Books a drain cleaning through the API and returns the interaction's trace.
    static func book(_ harness: Harness, phone: String, at requested: String? = nil, postalCode: String = "78704",
                     text: String = "My kitchen sink is clogged, can someone come out?") async throws -> JSON {
        var fields: JSONObject = ["postal_code": .string(postalCode)]
        if let requested { fields["requested_time"] = .string(requested) }
        let response = try await harness.call(
            "POST", "/v1/tenants/\(tenant)/interactions", key: Harness.acmeKey,
            json: ["from": ["phone": .string(phone), "name": "Dana Reyes", "email": "dana@example.com"], "text": .string(text),
                   "fields": .object(fields)],
            headers: [("Prefer", "wait=20")])
        let id = try #require(response.json?["id"]?.stringValue, "\(response.bodyText)")
        return try await harness.trace(tenant, id, key: Harness.acmeOperatorKey)
    }

    /// Asks for a water heater replacement, a quote above the owner's approval limit, with
    /// `Prefer: wait=20`: the answer normally has it `awaiting_approval`.
    static func askLargeQuote(_ harness: Harness, phone: String, name: String = "Sam Ortiz") async throws -> HTTPClient.Response {
        try await harness.call(
            "POST", "/v1/tenants/\(tenant)/interactions", key: Harness.acmeKey,
            json: ["from": ["phone": .string(phone), "name": .string(name)], "text": "We have no hot water, the water heater died",
                   "fields": ["postal_code": "78701"]],
            headers: [("Prefer", "wait=20")])
    }

    static func states(_ trace: JSON) -> [String] {
        trace["steps"]?.arrayValue?.compactMap { $0["state"]?.stringValue } ?? []
    }

    @Test func apiBooking_confirmsTheCustomer_thenTheStripePaymentSendsAReceipt() async throws {
        let harness = try Harness()
        let phone = "+15125550188"
        let trace = try await Self.book(harness, phone: phone)
        #expect(trace["status"] == "completed", "\(trace["reason"] ?? .null)")
        #expect(Self.states(trace) == ["identify", "find_customer", "check_area", "quote", "find_slot", "book", "deposit", "confirm",
                                       "dispatch", "note"])
        let quote = trace["steps"]?[3]
        #expect(quote?.value(at: "decision.reasons")?.arrayValue?.contains("total $149.00") == true, "\(quote ?? .null)")
        #expect(JSON.texts(harness.outbox(to: phone)).contains { $0.contains("You're booked!") && $0.contains("Drain cleaning") })
        #expect(trace.value(at: "cost.provider_calls")?.intValue ?? 0 >= 4)
        let sessionID = try #require(trace.value(at: "context.payment.session_id")?.stringValue)

        // The customer pays the deposit: the sandbox's Stripe sends a signed webhook back.
        let paid = try await harness.sandboxCall("POST", "/sandbox/checkout/\(sessionID)/pay")
        #expect(paid.isSuccess || paid.status == 303, "\(paid.bodyText)")
        let payment = try await Self.newest(harness, channel: "stripe")
        #expect(payment["status"] == "completed", "\(payment["reason"] ?? .null)")
        #expect(JSON.texts(harness.outbox(to: phone)).contains { $0.contains("We received your payment of $37.25") })
        // The booking's own interaction now shows the payment.
        let booking = try await harness.trace(Self.tenant, trace["id"]!.stringValue!, key: Harness.acmeOperatorKey)
        #expect(booking.value(at: "context.payment.status") == "paid")
    }

    /// The customer texts Acme's number (through the sandbox's Twilio): the SMS interaction it
    /// became, once it has stopped.
    static func text(_ harness: Harness, from customer: String, _ body: String) async throws -> JSON {
        let sent = try await harness.sandboxCall("POST", "/sandbox/sms/inbound",
                                                 json: ["from": .string(customer), "to": .string(number), "body": .string(body)])
        #expect(sent.isSuccess, "\(sent.bodyText)")
        return try await newest(harness, channel: "sms")
    }

    /// The newest interaction on `channel`, once it has stopped.
    static func newest(_ harness: Harness, channel: String) async throws -> JSON {
        for _ in 0..<200 {
            let list = try await harness.call("GET", "/v1/tenants/\(tenant)/interactions?limit=10", key: Harness.acmeOperatorKey)
            if let match = list.json?["data"]?.arrayValue?.first(where: { $0["channel"]?.stringValue == channel }),
               let id = match["id"]?.stringValue {
                return try await harness.waitFor(tenant, id, key: Harness.acmeOperatorKey,
                                                 statuses: ["completed", "failed", "dead", "awaiting_reply", "awaiting_approval"])
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        return .null
    }

    @Test func smsBooking_takenSlot_offersAlternatives_customerPicksByReply_thenPaysTheDeposit() async throws {
        let harness = try Harness()
        let day = StoryTime.weekday(atLeast: 2)
        // Someone already has 10:00 that day (the calendar offers 90-minute slots from 07:00).
        let first = try await Self.book(harness, phone: "+15125550101", at: StoryTime.iso(day, hour: 10))
        #expect(first["status"] == "completed", "\(first["reason"] ?? .null)")

        let customer = "+15125550102"
        let weekday = day.weekday.name
        let text = "Hi, our kitchen sink is clogged. Can you come on \(weekday) at 10am? We're in 78704."
        let asked = try await Self.text(harness, from: customer, text)
        #expect(asked["status"] == "awaiting_reply", "\(asked["reason"] ?? .null) \(Self.states(asked))")
        let offer = JSON.texts(harness.outbox(to: customer)).last ?? ""
        #expect(offer.contains("Sorry, that time is taken") && offer.contains("2)"), "\(offer)")
        let alternatives = asked.value(at: "context.alternatives")?.arrayValue ?? []
        #expect(alternatives.count == 3)

        // The customer answers "2".
        _ = try await harness.sandboxCall("POST", "/sandbox/sms/inbound",
                                          json: ["from": .string(customer), "to": .string(Self.number), "body": "2 please"])
        let done = try await harness.waitFor(Self.tenant, asked["id"]!.stringValue!, key: Harness.acmeOperatorKey,
                                             statuses: ["completed", "failed", "dead"])
        #expect(done["status"] == "completed", "\(done["reason"] ?? .null) \(Self.states(done))")
        #expect(done.value(at: "context.slot.start") == alternatives[1]["start"])
        #expect(done.value(at: "context.booking.start").flatMap { $0.stringValue.flatMap(Timestamp.parseISO8601) }
                == alternatives[1]["start"]?.stringValue.flatMap(Timestamp.parseISO8601))
        #expect(JSON.texts(harness.outbox(to: customer)).last?.contains("You're booked!") == true)
        // The reply itself is recorded, linked to the conversation it continued.
        let reply = try await Self.newest(harness, channel: "sms")
        #expect(reply["status"] == "completed")
        #expect(reply["reason"]?.stringValue == "reply delivered to \(asked["id"]!.stringValue!)")

        // The customer pays the deposit link from the text: Stripe's webhook brings a receipt.
        let session = try #require(done.value(at: "context.payment.session_id")?.stringValue)
        _ = try await harness.sandboxCall("POST", "/sandbox/checkout/\(session)/pay")
        let payment = try await Self.newest(harness, channel: "stripe")
        #expect(payment["status"] == "completed", "\(payment["reason"] ?? .null)")
        #expect(JSON.texts(harness.outbox(to: customer)).last?.contains("We received your payment") == true)
    }

    @Test func calcomCancellation_refundsTheDepositPerPolicy() async throws {
        let harness = try Harness()
        let phone = "+15125550103"
        let day = StoryTime.weekday(atLeast: 4)  // more than 48 hours away: a full refund
        let booking = try await Self.book(harness, phone: phone, at: StoryTime.iso(day, hour: 10))
        #expect(booking["status"] == "completed", "\(booking["reason"] ?? .null)")
        let session = try #require(booking.value(at: "context.payment.session_id")?.stringValue)
        _ = try await harness.sandboxCall("POST", "/sandbox/checkout/\(session)/pay")
        _ = try await Self.newest(harness, channel: "stripe")

        let uid = try #require(booking.value(at: "context.booking.id")?.stringValue)
        let cancelled = try await harness.sandboxCall("POST", "/sandbox/calcom/bookings/\(uid)/cancel", json: ["reason": "Fixed it myself"])
        #expect(cancelled.isSuccess, "\(cancelled.bodyText)")
        let refund = try await Self.newest(harness, channel: "calcom")
        #expect(refund["status"] == "completed", "\(refund["reason"] ?? .null) \(Self.states(refund))")
        #expect(Self.states(refund) == ["refund", "tell_refund", "tell_office", "note"])
        let deposit = booking.value(at: "context.payment.amount")?.intValue
        #expect(refund.value(at: "context.refund.amount")?.intValue == deposit)
        #expect(JSON.texts(harness.outbox(to: phone)).contains { $0.contains("We've refunded $37.25") })
        #expect(harness.sandbox.state.value(at: "stripe.counts.refund")?.intValue == 1)
    }

    @Test func outsideTheServiceArea_isRefusedPolitely_andTheOperatorIsTold() async throws {
        let harness = try Harness()
        let phone = "+15125550104"
        let trace = try await Self.book(harness, phone: phone, postalCode: "10001")
        #expect(trace["status"] == "failed")
        #expect(trace["reason"] == "not eligible")
        #expect(Self.states(trace) == ["identify", "find_customer", "check_area", "refuse", "refuse_ops", "refuse_note"])
        #expect(JSON.texts(harness.outbox(to: phone)).contains { $0.contains("10001 is outside our service area") })
        let slack = harness.outbox().filter { $0["kind"] == "slack" }
        #expect(JSON.texts(slack).contains { $0.contains("Declined Drain cleaning") })
        #expect(harness.sandbox.state.value(at: "calcom.bookings")?.intValue == 0)
    }

    @Test func schedulingDown_tellsBothParties_andNothingIsCharged() async throws {
        let harness = try Harness()
        harness.sandbox.addFault(FaultRule(method: "POST", pathPrefix: "/calcom/v2/bookings", errorRate: 1, errorStatus: 503))
        let phone = "+15125550105"
        let trace = try await Self.book(harness, phone: phone)
        #expect(trace["status"] == "failed")
        #expect(Self.states(trace).suffix(3) == ["book", "booking_problem", "booking_problem_ops"])
        #expect(JSON.texts(harness.outbox(to: phone)).contains { $0.contains("Nothing has been charged") })
        #expect(harness.sandbox.state.value(at: "stripe.counts.checkout.session") == nil)
        let book = trace["steps"]?.arrayValue?.first { $0["state"] == "book" }
        #expect((book?["calls"]?[0]?["attempts"]?.intValue ?? 0) >= 1)
    }

    // A failure after each effectful step, and what is undone: AcmePlumbingCompensationTests.

    @Test func largeQuote_waitsForTheOwner_thenCompletesWhenApproved() async throws {
        let harness = try Harness()
        let phone = "+15125550107"
        let response = try await Self.askLargeQuote(harness, phone: phone)
        #expect(response.json?["status"] == "awaiting_approval", "\(response.bodyText)")
        let id = try #require(response.json?["id"]?.stringValue)
        #expect(JSON.texts(harness.outbox().filter { $0["kind"] == "slack" }).contains { $0.contains("Approval needed: Water heater replacement") })

        // Only an operator key may approve: the website's key is valid, so 403 and the role it needs.
        let refused = try await harness.call("POST", "/v1/tenants/\(Self.tenant)/interactions/\(id)/approve", key: Harness.acmeKey)
        #expect(refused.status == 403)
        #expect(refused.json?["error"]?["message"]?.stringValue?.contains("needs an operator key") == true, "\(refused.bodyText)")
        let approved = try await harness.call("POST", "/v1/tenants/\(Self.tenant)/interactions/\(id)/approve",
                                              key: Harness.acmeOperatorKey, json: ["by": "owner", "note": "fine"])
        #expect(approved.status == 200, "\(approved.bodyText)")
        #expect(approved.json?["status"] == "completed", "\(approved.bodyText)")
        let trace = try await harness.trace(Self.tenant, id, key: Harness.acmeOperatorKey)
        #expect(trace.value(at: "context.approval.by") == "owner")
        #expect(JSON.texts(harness.outbox(to: phone)).contains { $0.contains("You're booked!") && $0.contains("$1,450.00") })
        // Approving twice is a conflict, not a second run.
        let again = try await harness.call("POST", "/v1/tenants/\(Self.tenant)/interactions/\(id)/approve", key: Harness.acmeOperatorKey)
        #expect(again.status == 409)
    }
}
