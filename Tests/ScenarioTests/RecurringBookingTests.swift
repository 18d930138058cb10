import Integration
import Model
import Native
import Sandbox
import Testing

/// A course of treatment at Riverside Physiotherapy: a fortnightly series booked through the
/// API on Cal.com's recurring bookings, confirmed with every date, and one occurrence cancelled
/// in the calendar later, refunded by the policy while the others stay booked.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct RecurringBookingTests {
    static let tenant = RiversidePhysioTests.tenant
    static let london = RiversidePhysioTests.london

    static func request(_ harness: Harness, phone: String, first: String, fields: JSONObject) async throws -> JSON {
        var all = fields
        all["requested_time"] = .string(first)
        let response = try await harness.call(
            "POST", "/v1/tenants/\(tenant)/interactions", key: Harness.riversideKey,
            json: ["from": ["phone": .string(phone), "email": "kai@example.co.uk", "name": "Kai Morgan"],
                   "service": "follow_up", "text": "Follow-up treatment for my knee", "fields": .object(all)],
            headers: [("Prefer", "wait=20")])
        let id = try #require(response.json?["id"]?.stringValue, "\(response.bodyText)")
        return try await harness.trace(tenant, id, key: Harness.riversideOperatorKey)
    }

    /// Riverside's closed days (tenants/riverside-physio.yaml).
    static let closed: Set<LocalDate> = [LocalDate(year: 2026, month: 12, day: 25), LocalDate(year: 2026, month: 12, day: 26),
                                         LocalDate(year: 2027, month: 1, day: 1), LocalDate(year: 2027, month: 4, day: 2),
                                         LocalDate(year: 2027, month: 4, day: 5)]

    /// A first weekday from which the series meets none of Riverside's closed days.
    static func start(everyWeeks weeks: Int, count: Int) -> LocalDate {
        StoryTime.seriesStart(atLeast: 3, everyWeeks: weeks, count: count, zone: london, closed: closed)
    }

    /// `Tue 8 Dec` as the tenant's `date` format writes it.
    static func day(_ iso: String) -> String {
        let local = london.localTime(atUnixSeconds: (Timestamp.parseISO8601(iso) ?? 0) / 1000)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(weekdays[local.weekday]) \(local.day) \(months[local.month - 1])"
    }

    @Test func fortnightlySeries_isBookedConfirmedWithEveryDate_andOneCancelledOccurrenceIsRefunded() async throws {
        let harness = try Harness()
        let phone = "+447700900581"
        let first = StoryTime.iso(Self.start(everyWeeks: 2, count: 4), hour: 10, zone: Self.london)
        let booking = try await Self.request(harness, phone: phone, first: first, fields: ["repeat_every_weeks": 2, "occurrences": 4])
        #expect(booking["status"] == "completed", "\(booking["reason"] ?? .null) \(AcmePlumbingTests.states(booking))")

        // Four occurrences two weeks apart at 10:00 London time, one Cal.com series.
        let occurrences = booking.value(at: "context.booking.occurrences")?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(occurrences.count == 4)
        #expect(occurrences.first.flatMap(Timestamp.parseISO8601) == Timestamp.parseISO8601(first))
        #expect(occurrences.allSatisfy { Self.london.localTime(atUnixSeconds: (Timestamp.parseISO8601($0) ?? 0) / 1000).hour == 10 })
        let days = occurrences.compactMap { Timestamp.parseISO8601($0).map { Self.london.localTime(atUnixSeconds: $0 / 1000) } }
            .map { LocalDate(year: $0.year, month: $0.month, day: $0.day).daysSinceEpoch }
        #expect(zip(days, days.dropFirst()).allSatisfy { $1 - $0 == 14 })
        #expect(booking.value(at: "context.booking.recurrence.every_weeks")?.intValue == 2)
        let calendar = harness.sandbox.state.value(at: "calcom.list")?.arrayValue ?? []
        #expect(calendar.count == 4)
        #expect(Set(calendar.compactMap { $0["recurringBookingUid"]?.stringValue }).count == 1)
        #expect(calendar.allSatisfy { $0["eventTypeId"]?.intValue == 2222 })

        // The confirmation lists the four dates; the deposit is four appointments' (4 × £20).
        let sms = try #require(JSON.texts(harness.outbox(to: phone)).first)
        for (index, occurrence) in occurrences.enumerated() {
            #expect(sms.contains("\(index + 1)) \(Self.day(occurrence)) at 10:00"), "\(sms)")
        }
        #expect(sms.contains("£80.00"), "\(sms)")

        let session = try #require(booking.value(at: "context.payment.session_id")?.stringValue)
        _ = try await harness.sandboxCall("POST", "/sandbox/checkout/\(session)/pay")
        try await Task.sleep(nanoseconds: 300_000_000)

        // The patient cancels the second appointment in the calendar: 24h+ notice, its £20 back.
        let uids = booking.value(at: "context.booking.recurrence.bookings")?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        try #require(uids.count == 4)
        let cancelled = try await harness.sandboxCall("POST", "/sandbox/calcom/bookings/\(uids[1])/cancel", json: ["reason": "Away that week"])
        #expect(cancelled.json?["cancelled"]?.arrayValue?.count == 1, "\(cancelled.bodyText)")
        var waiting = JSON.null
        for _ in 0..<100 {
            let list = try await harness.call("GET", "/v1/tenants/\(Self.tenant)/interactions?status=awaiting_approval",
                                              key: Harness.riversideOperatorKey)
            if let found = list.json?["data"]?[0] { waiting = found; break }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        let id = try #require(waiting["id"]?.stringValue, "no refund waiting for approval")
        let pending = try await harness.trace(Self.tenant, id, key: Harness.riversideOperatorKey)
        #expect(pending.value(at: "context.refund.amount")?.intValue == 2000, "\(pending.value(at: "context.refund") ?? .null)")
        let refunded = pending.value(at: "context.refund.occurrences")?.arrayValue?.compactMap { $0.stringValue.flatMap(Timestamp.parseISO8601) }
        #expect(refunded == [Timestamp.parseISO8601(occurrences[1])].compactMap { $0 })

        let approved = try await harness.call("POST", "/v1/tenants/\(Self.tenant)/interactions/\(id)/approve",
                                              key: Harness.riversideOperatorKey, json: ["by": "front-desk"])
        #expect(approved.json?["status"] == "completed", "\(approved.bodyText)")
        #expect(harness.sandbox.state.value(at: "stripe.counts.refund")?.intValue == 1)
        #expect(JSON.texts(harness.outbox(to: phone)).last?.contains("£20.00") == true, "\(JSON.texts(harness.outbox(to: phone)))")
        let statuses = harness.sandbox.state.value(at: "calcom.list")?.arrayValue?.compactMap { $0["status"]?.stringValue }
        #expect(statuses == ["accepted", "cancelled", "accepted", "accepted"])
    }

    @Test func intervalTheServiceDoesNotOffer_isAnsweredAndNothingIsBooked() async throws {
        let harness = try Harness()
        let phone = "+447700900582"
        let first = StoryTime.iso(StoryTime.weekday(atLeast: 3, zone: Self.london), hour: 11, zone: Self.london)
        let trace = try await Self.request(harness, phone: phone, first: first, fields: ["repeat_every_weeks": 3])
        #expect(trace["status"] == "failed", "\(AcmePlumbingTests.states(trace))")
        #expect(trace.value(at: "context.eligibility.reason")?.stringValue == "Follow-up treatment can be booked every 1 or 2 weeks, not every 3 weeks")
        #expect(JSON.texts(harness.outbox(to: phone)).first?.contains("not every 3 weeks") == true, "\(JSON.texts(harness.outbox(to: phone)))")
        #expect(harness.sandbox.state.value(at: "calcom.bookings")?.intValue == 0)
    }

    @Test func laterOccurrenceTaken_offersSeriesThatAreFree_andTheReplyBooksOne() async throws {
        let harness = try Harness()
        let phone = "+447700900583"
        let day = Self.start(everyWeeks: 1, count: 3)
        let first = StoryTime.iso(day, hour: 10, zone: Self.london)
        // Someone already has 10:00 two weeks later.
        let third = Timestamp.iso8601(seconds: (Timestamp.parseISO8601(first) ?? 0) / 1000 + 14 * 86_400)
        var taken = HTTPClient.Request(method: "POST", url: harness.sandbox.baseURL + "/calcom/v2/bookings",
                                       headers: [("Authorization", "Bearer cal_sandbox_riverside"), ("cal-api-version", "2024-08-13"),
                                                 ("Content-Type", "application/json")], timeoutSeconds: 10)
        taken.body = JSON.object(["start": .string(third), "eventTypeId": 2202,
                                  "attendee": ["name": "Someone", "email": "someone@example.co.uk", "timeZone": "Europe/London"]]).serializedBytes()
        #expect(try await harness.client.send(taken).status == 201)

        let response = try await harness.call(
            "POST", "/v1/tenants/\(Self.tenant)/interactions", key: Harness.riversideKey,
            json: ["from": ["phone": .string(phone), "name": "Ada Lowe"], "service": "follow_up",
                   "text": "Weekly follow-up treatment please, 3 sessions", "fields": ["requested_time": .string(first)]],
            headers: [("Prefer", "wait=20")])
        let id = try #require(response.json?["id"]?.stringValue, "\(response.bodyText)")
        let asked = try await harness.waitFor(Self.tenant, id, key: Harness.riversideOperatorKey, statuses: ["awaiting_reply", "completed", "failed"])
        #expect(asked["status"] == "awaiting_reply", "\(AcmePlumbingTests.states(asked))")
        let alternatives = asked.value(at: "context.alternatives")?.arrayValue?.compactMap { $0["start"]?.stringValue } ?? []
        #expect(!alternatives.isEmpty && !alternatives.contains { Timestamp.parseISO8601($0) == Timestamp.parseISO8601(first) }, "\(alternatives)")
        #expect(JSON.texts(harness.outbox(to: phone)).first?.contains("1) ") == true)

        _ = try await harness.sandboxCall("POST", "/sandbox/sms/inbound", json: ["from": .string(phone), "to": "+447700900123", "body": "1"])
        let booked = try await harness.waitFor(Self.tenant, id, key: Harness.riversideOperatorKey, statuses: ["completed", "failed"])
        #expect(booked["status"] == "completed", "\(booked["reason"] ?? .null) \(AcmePlumbingTests.states(booked))")
        let occurrences = booked.value(at: "context.booking.occurrences")?.arrayValue?.compactMap { $0.stringValue.flatMap(Timestamp.parseISO8601) }
        #expect(occurrences?.count == 3)
        #expect(occurrences?.first == alternatives.first.flatMap(Timestamp.parseISO8601))
        #expect(booked.value(at: "context.booking.recurrence.every_weeks")?.intValue == 1)
        #expect(harness.sandbox.state.value(at: "calcom.accepted")?.intValue == 4)
    }

    @Test func cancellingEveryRemainingOccurrence_refundsEachShare() async throws {
        let harness = try Harness()
        let phone = "+447700900584"
        let first = StoryTime.iso(Self.start(everyWeeks: 1, count: 3), hour: 15, zone: Self.london)
        let booking = try await Self.request(harness, phone: phone, first: first, fields: ["repeat_every_weeks": 1, "occurrences": 3])
        #expect(booking["status"] == "completed", "\(booking["reason"] ?? .null) \(AcmePlumbingTests.states(booking))")
        let session = try #require(booking.value(at: "context.payment.session_id")?.stringValue)
        _ = try await harness.sandboxCall("POST", "/sandbox/checkout/\(session)/pay")
        try await Task.sleep(nanoseconds: 300_000_000)

        let uid = try #require(booking.value(at: "context.booking.id")?.stringValue)
        let cancelled = try await harness.sandboxCall("POST", "/sandbox/calcom/bookings/\(uid)/cancel",
                                                      json: ["reason": "Moving away", "all_remaining": true])
        #expect(cancelled.json?["cancelled"]?.arrayValue?.count == 3, "\(cancelled.bodyText)")
        var waiting = JSON.null
        for _ in 0..<100 {
            let list = try await harness.call("GET", "/v1/tenants/\(Self.tenant)/interactions?status=awaiting_approval",
                                              key: Harness.riversideOperatorKey)
            if let found = list.json?["data"]?[0] { waiting = found; break }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        let id = try #require(waiting["id"]?.stringValue, "no refund waiting for approval")
        let approved = try await harness.call("POST", "/v1/tenants/\(Self.tenant)/interactions/\(id)/approve",
                                              key: Harness.riversideOperatorKey, json: ["by": "front-desk"])
        #expect(approved.json?["status"] == "completed", "\(approved.bodyText)")
        let trace = try await harness.trace(Self.tenant, id, key: Harness.riversideOperatorKey)
        #expect(trace.value(at: "context.refund.amount")?.intValue == 6000, "\(trace.value(at: "context.refund") ?? .null)")
        #expect(trace.value(at: "context.refund.occurrences")?.arrayValue?.count == 3)
        #expect(JSON.texts(harness.outbox(to: phone)).last?.contains("£60.00") == true, "\(JSON.texts(harness.outbox(to: phone)))")
        #expect(harness.sandbox.state.value(at: "calcom.accepted")?.intValue == 0)
    }
}
