import Integration
import Model
import Native
import Sandbox
import Testing
@testable import App

/// Tidy Nest Home Cleaning's stories, end to end over real HTTP against the sandbox: a business
/// written in configuration alone (price tables, add-ons, conditions, a series, the office by
/// email with no Slack).
@Suite(.serialized, .timeLimit(.minutes(3)))
struct TidyNestCleaningTests {
    static let tenant = "tidy-nest-cleaning"
    static let number = "+15035550140"
    static let key = "tidynest-website-key-2026"
    static let officeKey = "tidynest-office-key-2026"
    static let office = "office@tidynest.example"
    static let portland = TenantTimeZone(identifier: "America/Los_Angeles")!

    static func post(_ harness: Harness, phone: String, text: String, service: String? = nil, fields: JSONObject) async throws
        -> HTTPClient.Response {
        var body: JSONObject = ["from": ["phone": .string(phone), "name": "Robin Park"], "text": .string(text), "fields": .object(fields)]
        if let service { body["service"] = .string(service) }
        return try await harness.call("POST", "/v1/tenants/\(tenant)/interactions", key: key, json: .object(body),
                                      headers: [("Prefer", "wait=20")])
    }

    static func book(_ harness: Harness, phone: String, text: String, service: String? = nil, fields: JSONObject) async throws -> JSON {
        let response = try await post(harness, phone: phone, text: text, service: service, fields: fields)
        let id = try #require(response.json?["id"]?.stringValue, "\(response.bodyText)")
        return try await harness.trace(tenant, id, key: officeKey)
    }

    static func rules(_ trace: JSON) -> [String] {
        trace.value(at: "context.price.adjustments")?.arrayValue?.compactMap { $0["rule"]?.stringValue } ?? []
    }

    @Test func fortnightlyClean_pricedFromTheTable_confirmedWithEveryDate_andTheOfficeEmailed() async throws {
        let harness = try Harness()
        let phone = "+15035550171"
        let first = StoryTime.iso(StoryTime.seriesStart(atLeast: 3, everyWeeks: 2, count: 4, zone: Self.portland), hour: 10, zone: Self.portland)
        let trace = try await Self.book(harness, phone: phone, text: "A regular clean for our house please",
                                        fields: ["bedrooms": 3, "bathrooms": 2, "extras": ["oven"], "postal_code": "97214",
                                                 "requested_time": .string(first), "repeat_every_weeks": 2, "occurrences": 4])
        #expect(trace["status"] == "completed", "\(trace["reason"] ?? .null) \(AcmePlumbingTests.states(trace))")
        // 135 (3 bedrooms) + 20 (second bathroom) + 35 (oven) = 190; +25 first clean = 215; −10% regular = 193.50.
        #expect(Self.rules(trace) == ["add_on", "add_on", "first_clean", "regular"])
        #expect(trace.value(at: "context.price.total") == 19_350)
        // 3 h for three bedrooms, 30 min for the bathroom, 45 for the oven.
        let start = trace.value(at: "context.booking.start")?.stringValue.flatMap(Timestamp.parseISO8601) ?? 0
        let end = trace.value(at: "context.booking.end")?.stringValue.flatMap(Timestamp.parseISO8601) ?? 0
        #expect(end - start == (3 * 60 + 75) * 60_000)
        let occurrences = trace.value(at: "context.booking.occurrences")?.arrayValue ?? []
        #expect(occurrences.count == 4)

        let sms = try #require(JSON.texts(harness.outbox(to: phone)).first)
        #expect(sms.contains("Standard clean of a 3-bedroom home with 2 bathrooms, with the oven."), "\(sms)")
        #expect(sms.contains("Every 2 week(s), 4 visits:\n1) ") && sms.contains("\n4) "), "\(sms)")
        #expect(sms.contains("$193.50 a visit, including the first-clean fee"), "\(sms)")
        // The office hears by email; the tenant has no Slack.
        let emails = harness.outbox(to: Self.office)
        #expect(emails.count == 1 && emails.first?["kind"] == "email", "\(emails)")
        #expect(JSON.texts(emails).first?.contains("then every 2 week(s), 4 visits") == true)
        #expect(harness.outbox().filter { $0["kind"] == "slack" }.isEmpty)
        // A series makes a regular: the CRM contact is tagged.
        #expect(AcmePlumbingTests.states(trace).contains("tag_regular"))
    }

    @Test func requestFields_areChecked_with422NamingTheField() async throws {
        let harness = try Harness()
        let phone = "+15035550172"
        let tooBig = try await Self.post(harness, phone: phone, text: "Clean please", fields: ["bedrooms": 9])
        #expect(tooBig.status == 422)
        #expect(tooBig.json?.value(at: "error.message") == "fields.bedrooms: must be a whole number from 1 to 6, got 9")
        let unknown = try await Self.post(harness, phone: phone, text: "Clean please", fields: ["bedrooms": 2, "size": "enormous"])
        #expect(unknown.status == 422)
        #expect(unknown.json?.value(at: "error.message")?.stringValue?.hasPrefix("fields.size: unknown field; accepted: bedrooms, bathrooms") == true,
                "\(unknown.bodyText)")
        let extra = try await Self.post(harness, phone: phone, text: "Clean please", fields: ["bedrooms": 2, "extras": ["oven", "garage"]])
        #expect(extra.json?.value(at: "error.message")
                == "fields.extras: \"garage\" is not allowed; must be a list of values among \"oven\", \"windows\", \"fridge\"")
        let missing = try await Self.post(harness, phone: phone, text: "Clean please", fields: ["postal_code": "97214"])
        #expect(missing.status == 422)
        #expect(missing.json?.value(at: "error.message") == "fields.bedrooms: required: a whole number from 1 to 6")
        // Said in the text, it is not missing.
        let said = try await Self.post(harness, phone: phone, text: "Clean our 2 bedroom flat please", fields: ["postal_code": "97214"])
        #expect(said.status == 200, "\(said.bodyText)")
        // Nothing refused was stored.
        let list = try await harness.call("GET", "/v1/tenants/\(Self.tenant)/interactions", key: Self.officeKey)
        #expect(list.json?["data"]?.arrayValue?.count == 1)
    }

    @Test func largeDeepClean_needsTheOffice_whicheverWayItWasAskedFor() async throws {
        let harness = try Harness()
        // Named by the API's service field...
        let named = try await Self.book(harness, phone: "+15035550173", text: "Before we move out", service: "deep_clean",
                                        fields: ["bedrooms": 4, "postal_code": "97202"])
        #expect(named["status"] == "awaiting_approval", "\(named["reason"] ?? .null) \(AcmePlumbingTests.states(named))")
        // ...or in free text by SMS: the same decision.
        let phone = "+15035550174"
        _ = try await harness.sandboxCall("POST", "/sandbox/sms/inbound", json: [
            "from": .string(phone), "to": .string(Self.number),
            "body": "Hi, we need a deep clean of our 4 bedroom house in 97202 before we move out"])
        let texted = try await Self.newest(harness, channel: "sms")
        #expect(texted["status"] == "awaiting_approval", "\(texted["reason"] ?? .null) \(AcmePlumbingTests.states(texted))")
        #expect(texted.value(at: "context.service.id") == "deep_clean")
        #expect(texted.value(at: "context.fields.bedrooms") == 4)
        #expect(texted.value(at: "context.interaction.fields_from_text.bedrooms") == "4 bedroom")
        // Both approval requests went to the office by email.
        #expect(JSON.texts(harness.outbox(to: Self.office)).filter { $0.contains("Approval needed: deep clean of a 4-bedroom home") }.count == 2)
        // A small deep clean is booked without approval.
        let small = try await Self.book(harness, phone: "+15035550175", text: "Deep clean", service: "deep_clean",
                                        fields: ["bedrooms": 2, "postal_code": "97202"])
        #expect(small["status"] == "completed", "\(small["reason"] ?? .null) \(AcmePlumbingTests.states(small))")
    }

    @Test func textWithoutTheBedrooms_asksForThem_andTheReplyPricesTheClean() async throws {
        let harness = try Harness()
        let phone = "+15035550176"
        _ = try await harness.sandboxCall("POST", "/sandbox/sms/inbound", json: [
            "from": .string(phone), "to": .string(Self.number), "body": "Can someone clean my place in 97214? We have a cat"])
        let asked = try await Self.newest(harness, channel: "sms")
        #expect(asked["status"] == "awaiting_reply", "\(asked["reason"] ?? .null) \(AcmePlumbingTests.states(asked))")
        #expect(JSON.texts(harness.outbox(to: phone)).last == "Happy to help with your standard clean! How many bedrooms does your home have?")
        _ = try await harness.sandboxCall("POST", "/sandbox/sms/inbound", json: ["from": .string(phone), "to": .string(Self.number), "body": "two"])
        let done = try await harness.waitFor(Self.tenant, asked["id"]!.stringValue!, key: Self.officeKey, statuses: ["completed", "failed", "dead"])
        #expect(done["status"] == "completed", "\(done["reason"] ?? .null) \(AcmePlumbingTests.states(done))")
        #expect(done.value(at: "context.fields.bedrooms") == 2)
        // 115 (2 bedrooms) + 15 pets + 25 first clean = 155.
        #expect(Self.rules(done) == ["first_clean", "pets"])
        #expect(done.value(at: "context.price.total") == 15_500)
    }

    @Test func cancellingOneVisitOfASeries_refundsItsShare_andKeepsTheOthers() async throws {
        let harness = try Harness()
        let phone = "+15035550177"
        // A weekday whose next two weeks are no holiday: three weekly visits all within hours.
        var day = StoryTime.weekday(atLeast: 4, zone: Self.portland)
        func week(_ date: LocalDate) -> LocalDate { (0..<7).reduce(date) { d, _ in StoryTime.next(d) } }
        while [day, week(day), week(week(day))].contains(where: StoryTime.closed.contains) || [.saturday, .sunday].contains(day.weekday) {
            day = StoryTime.next(day)
        }
        let first = StoryTime.iso(day, hour: 10, zone: Self.portland)
        let booking = try await Self.book(harness, phone: phone, text: "Weekly clean please",
                                          fields: ["bedrooms": 1, "postal_code": "97214", "requested_time": .string(first),
                                                   "repeat_every_weeks": 1, "occurrences": 3])
        #expect(booking["status"] == "completed", "\(booking["reason"] ?? .null) \(AcmePlumbingTests.states(booking))")
        // 95 + 25 first clean = 120, −10% = 108 a visit; deposit 25% = 27 a visit, 81 for three.
        #expect(booking.value(at: "context.payment.amount") == 8100)
        let session = try #require(booking.value(at: "context.payment.session_id")?.stringValue)
        _ = try await harness.sandboxCall("POST", "/sandbox/checkout/\(session)/pay")
        let paid = try await Self.newest(harness, channel: "stripe")
        #expect(paid["status"] == "completed", "\(paid["reason"] ?? .null) \(AcmePlumbingTests.states(paid))")

        let uids = booking.value(at: "context.booking.recurrence.bookings")?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        try #require(uids.count == 3)
        let cancelled = try await harness.sandboxCall("POST", "/sandbox/calcom/bookings/\(uids[2])/cancel", json: ["reason": "Away"])
        #expect(cancelled.isSuccess, "\(cancelled.bodyText)")
        let refund = try await Self.newest(harness, channel: "calcom")
        #expect(refund["status"] == "completed", "\(refund["reason"] ?? .null) \(AcmePlumbingTests.states(refund))")
        // More than 48 hours' notice: the whole of that visit's share back.
        #expect(refund.value(at: "context.refund.amount") == 2700, "\(refund.value(at: "context.refund") ?? .null)")
        #expect(JSON.texts(harness.outbox(to: phone)).last?.contains("We've refunded $27.00") == true)
        let mine = Set(uids)
        let statuses = (harness.sandbox.state.value(at: "calcom.list")?.arrayValue ?? [])
            .filter { mine.contains($0["uid"]?.stringValue ?? "") }.compactMap { $0["status"]?.stringValue }
        #expect(statuses == ["accepted", "accepted", "cancelled"], "\(statuses)")
    }

    /// The newest interaction on `channel`, once it has stopped.
    static func newest(_ harness: Harness, channel: String) async throws -> JSON {
        for _ in 0..<200 {
            let list = try await harness.call("GET", "/v1/tenants/\(tenant)/interactions?limit=10", key: officeKey)
            if let match = list.json?["data"]?.arrayValue?.first(where: { $0["channel"]?.stringValue == channel }),
               let id = match["id"]?.stringValue {
                return try await harness.waitFor(tenant, id, key: officeKey,
                                                 statuses: ["completed", "failed", "dead", "awaiting_reply", "awaiting_approval"])
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        return .null
    }

    @Test func flowsByService_takeAServiceNamedInATextOrByTheAPI_alike() async throws {
        // Tidy Nest with deep cleans on a flow of their own: the office calls back.
        let original = String(decoding: try FileSystem.readFile(Harness.repositoryPath("tenants/tidy-nest-cleaning.yaml")), as: UTF8.self)
        let flow = """
              deep_cleans:
                serves: { channels: [sms, api], services: [deep_clean] }
                start: identify
                states:
                  identify: { agent: intent.classify, next: find_customer }
                  find_customer: { agent: customer.find_or_create, next: call_back }
                  call_back: { agent: notify.customer, params: { template: deep_call }, next: tell_office }
                  tell_office: { agent: notify.operator, params: { template: deep_call_ops }, next: note }
                  note: { agent: crm.note, params: { template: deep_note }, next: done }
                  done: { final: completed }

            """
        let marker = "  # Stripe says a deposit was paid.\n"
        let templates = """
              deep_call: { audience: customer, text: "Thanks! The office will call you to plan your deep clean." }
              deep_call_ops: { audience: operator, text: "Deep clean request from {{from.phone}}: please call them." }
              deep_note: { audience: crm, text: "Deep clean requested; the office calls back." }

            """
        let edited = original.replacingFirst(marker, with: flow + marker).replacingFirst("templates:\n", with: "templates:\n" + templates)
        let directory = try FileSystem.makeTemporaryDirectory(prefix: "switchboard-flows-by-service")
        try FileSystem.writeFileAtomically(directory + "/tidy-nest-cleaning.yaml", Array(edited.utf8))
        let harness = try Harness { $0.tenantsDirectory = directory }

        let named = try await Self.book(harness, phone: "+15035550181", text: "Before we move out", service: "deep_clean",
                                        fields: ["bedrooms": 3, "postal_code": "97202"])
        #expect(named["flow"] == "deep_cleans", "\(named["flow"] ?? .null) \(named["reason"] ?? .null)")
        #expect(AcmePlumbingTests.states(named) == ["identify", "find_customer", "call_back", "tell_office", "note"])
        let phone = "+15035550182"
        _ = try await harness.sandboxCall("POST", "/sandbox/sms/inbound", json: [
            "from": .string(phone), "to": .string(Self.number), "body": "Can you do a deep clean of our 3 bedroom flat in 97202?"])
        let texted = try await Self.newest(harness, channel: "sms")
        #expect(texted["status"] == "completed", "\(texted["reason"] ?? .null) \(AcmePlumbingTests.states(texted))")
        #expect(texted["flow"] == "deep_cleans")
        #expect(AcmePlumbingTests.states(texted) == ["route", "identify", "find_customer", "call_back", "tell_office", "note"])
        // A standard clean in a text stays on the default flow.
        let standard = try await Self.book(harness, phone: "+15035550183", text: "A clean of our 2 bedroom flat please",
                                           fields: ["postal_code": "97214"])
        #expect(standard["flow"] == "booking", "\(standard["flow"] ?? .null)")
    }
}
