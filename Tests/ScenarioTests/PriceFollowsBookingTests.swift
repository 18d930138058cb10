import Integration
import Model
import Native
import Sandbox
import Testing

/// Prices follow the booking (issue 17): Acme quotes the requested time, and when the customer
/// picks another one by SMS the booking prices it again — lower is applied, higher is asked.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct PriceFollowsBookingTests {
    static let tenant = AcmePlumbingTests.tenant
    static let number = AcmePlumbingTests.number

    /// Texts Acme and returns the interaction once it waits for the customer's choice.
    static func ask(_ harness: Harness, from customer: String, _ text: String) async throws -> JSON {
        let sent = try await harness.sandboxCall("POST", "/sandbox/sms/inbound",
                                                 json: ["from": .string(customer), "to": .string(number), "body": .string(text)])
        #expect(sent.isSuccess, "\(sent.bodyText)")
        let asked = try await AcmePlumbingTests.newest(harness, channel: "sms")
        #expect(asked["status"] == "awaiting_reply", "\(asked["reason"] ?? .null) \(AcmePlumbingTests.states(asked))")
        return asked
    }

    /// The customer's SMS reply, and the waiting interaction once it ends, or waits again in
    /// the state `waitingIn`.
    static func reply(_ harness: Harness, from customer: String, _ text: String, to id: String,
                      waitingIn: String? = nil) async throws -> JSON {
        _ = try await harness.sandboxCall("POST", "/sandbox/sms/inbound",
                                          json: ["from": .string(customer), "to": .string(number), "body": .string(text)])
        for _ in 0..<400 {
            let trace = try await harness.trace(tenant, id, key: Harness.acmeOperatorKey)
            let status = trace["status"]?.stringValue ?? ""
            if ["completed", "failed", "dead"].contains(status) { return trace }
            if let waitingIn, status == "awaiting_reply", trace["state"]?.stringValue == waitingIn,
               trace["steps"]?.arrayValue?.last?["waiting"] != nil {
                return trace
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        return .null
    }

    static func step(_ trace: JSON, _ state: String) -> JSON? {
        trace["steps"]?.arrayValue?.last { $0["state"]?.stringValue == state }
    }

    static func reasons(_ step: JSON?) -> [String] {
        step?.value(at: "decision.reasons")?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// The booking as the sandbox's Cal.com keeps it (its metadata included).
    static func booking(_ harness: Harness, uid: String) async throws -> JSON {
        var request = HTTPClient.Request(method: "GET", url: harness.sandbox.baseURL + "/calcom/v2/bookings/\(uid)", timeoutSeconds: 30)
        request.headers = [("Authorization", "Bearer cal_sandbox_acme"), ("cal-api-version", "2024-08-13")]
        return try await harness.client.send(request).json?["data"] ?? .null
    }

    /// The Checkout Sessions the sandbox's Stripe holds, oldest first.
    static func checkoutSessions(_ harness: Harness) -> [JSON] {
        harness.sandbox.state["stripe"]?["objects"]?.arrayValue?.filter { $0["object"] == "checkout.session" } ?? []
    }

    /// The local hour (Chicago) of an ISO 8601 instant.
    static func hour(_ iso: String?) -> Int {
        guard let millis = iso.flatMap(Timestamp.parseISO8601) else { return -1 }
        return StoryTime.chicago.localTime(atUnixSeconds: millis / 1000).hour
    }

    @Test func eveningRequest_morningAlternativePicked_isBookedAndDepositedAtTheMorningPrice() async throws {
        let harness = try Harness()
        let day = StoryTime.weekday(atLeast: 2)
        let customer = "+15125550161"
        // 8 pm is after Acme's hours: quoted with the after-hours surcharge, and closed for booking.
        let asked = try await Self.ask(harness, from: customer,
                                       "Our kitchen sink is clogged. Can you come on \(day.weekday.name) at 8pm? We're in 78704.")
        let id = try #require(asked["id"]?.stringValue)
        #expect(Self.reasons(Self.step(asked, "quote")).contains("total $223.50"), "\(Self.step(asked, "quote") ?? .null)")
        let alternatives = asked.value(at: "context.alternatives")?.arrayValue ?? []
        let morning = try #require(alternatives.firstIndex { (7..<12).contains(Self.hour($0["start"]?.stringValue)) }, "\(alternatives)")

        let done = try await Self.reply(harness, from: customer, "\(morning + 1)", to: id)
        #expect(done["status"] == "completed", "\(done["reason"] ?? .null) \(AcmePlumbingTests.states(done))")
        #expect(done.value(at: "context.slot.start") == alternatives[morning]["start"])
        // The booking, the deposit and the confirmation are at the morning price.
        #expect(done.value(at: "context.price.total")?.intValue == 14900)
        #expect(done.value(at: "context.price.previous.total")?.intValue == 22350)
        #expect(done.value(at: "context.payment.amount")?.intValue == 3725)
        #expect(Self.checkoutSessions(harness).map { $0["amount"]?.intValue } == [3725], "the deposit at Stripe")
        let uid = try #require(done.value(at: "context.booking.id")?.stringValue)
        let booking = try await Self.booking(harness, uid: uid)
        #expect(booking.value(at: "metadata.price_total") == "149.00", "\(booking)")
        let confirmation = JSON.texts(harness.outbox(to: customer)).last ?? ""
        #expect(confirmation.contains("Quote: $149.00") && confirmation.contains("$37.25 deposit"), "\(confirmation)")
        // The trace has both quotes, and why the price changed.
        let book = Self.reasons(Self.step(done, "book"))
        #expect(book.contains { $0.hasPrefix("first quote $223.50 (after_hours +$74.50)") }, "\(book)")
        #expect(book.contains { $0.hasPrefix("re-evaluated: ") && $0.contains("total $149.00") }, "\(book)")
        #expect(book.contains { $0.contains("prices lower: $149.00 applied — no longer applies: after_hours") }, "\(book)")
    }

    /// An emergency call-out at 5 pm, taken: the nearest free times include 6 pm, after hours.
    static func askForTakenFivePM(_ harness: Harness, customer: String) async throws -> (id: String, alternative: Int) {
        let day = StoryTime.weekday(atLeast: 2)
        let first = try await AcmePlumbingTests.book(harness, phone: "+15125550160", at: StoryTime.iso(day, hour: 17),
                                                     text: "Burst pipe, water everywhere")
        #expect(first["status"] == "completed", "\(first["reason"] ?? .null)")
        let asked = try await Self.ask(harness, from: customer, "A pipe burst in the garage! Can you come on \(day.weekday.name) at 5pm? 78704")
        #expect(Self.reasons(Self.step(asked, "quote")).contains("total $195.00"), "\(Self.step(asked, "quote") ?? .null)")
        let alternatives = asked.value(at: "context.alternatives")?.arrayValue ?? []
        let evening = try #require(alternatives.firstIndex { Self.hour($0["start"]?.stringValue) >= 18 }, "\(alternatives)")
        return (try #require(asked["id"]?.stringValue), evening)
    }

    @Test func higherPriceForThePickedTime_isAsked_andBookedAtItOnYes() async throws {
        let harness = try Harness()
        let customer = "+15125550162"
        let (id, evening) = try await Self.askForTakenFivePM(harness, customer: customer)

        let asked = try await Self.reply(harness, from: customer, "\(evening + 1)", to: id, waitingIn: "book")
        #expect(asked["status"] == "awaiting_reply", "\(asked["reason"] ?? .null) \(AcmePlumbingTests.states(asked))")
        let question = JSON.texts(harness.outbox(to: customer)).last ?? ""
        #expect(question.contains("is $292.50, not the $195.00 we quoted (After-hours visit")
                && question.contains("Reply YES to book at $292.50"), "\(question)")
        #expect(harness.sandbox.state.value(at: "calcom.bookings")?.intValue == 1, "only the first customer's booking so far")

        let done = try await Self.reply(harness, from: customer, "yes", to: id)
        #expect(done["status"] == "completed", "\(done["reason"] ?? .null) \(AcmePlumbingTests.states(done))")
        #expect(done.value(at: "context.price.total")?.intValue == 29250)
        #expect(done.value(at: "context.price.previous.total")?.intValue == 19500)
        #expect(done.value(at: "context.payment.amount")?.intValue == 14625)
        #expect(Self.checkoutSessions(harness).last?["amount"]?.intValue == 14625, "the deposit at Stripe")
        let uid = try #require(done.value(at: "context.booking.id")?.stringValue)
        #expect(try await Self.booking(harness, uid: uid).value(at: "metadata.price_total") == "292.50")
        #expect(JSON.texts(harness.outbox(to: customer)).last?.contains("Quote: $292.50") == true)
        let book = Self.reasons(Self.step(done, "book"))
        #expect(book.contains { $0.hasPrefix("first quote $195.00") }, "\(book)")
        #expect(book.contains { $0.contains("the customer accepted $292.50") }, "\(book)")
    }

    @Test func higherPriceForThePickedTime_isAsked_andNotBookedOnNo() async throws {
        let harness = try Harness()
        let customer = "+15125550163"
        let (id, evening) = try await Self.askForTakenFivePM(harness, customer: customer)
        _ = try await Self.reply(harness, from: customer, "\(evening + 1)", to: id, waitingIn: "book")

        let done = try await Self.reply(harness, from: customer, "no thanks", to: id)
        #expect(done["status"] == "failed")
        #expect(done["reason"] == "customer did not accept the new price")
        #expect(AcmePlumbingTests.states(done).suffix(3) == ["book", "price_declined", "price_declined_ops"])
        #expect(JSON.texts(harness.outbox(to: customer)).last?.contains("we haven't booked anything") == true)
        #expect(harness.sandbox.state.value(at: "calcom.bookings")?.intValue == 1, "only the first customer's booking")
        #expect(Self.checkoutSessions(harness).count == 1, "only the first customer's deposit")
    }
}
