import HTTP
import Model
import Native
import Sandbox
import Testing

/// Recurring bookings in the simulated Cal.com, as the real one makes them: the event type sets
/// the interval and the most occurrences, `recurrenceCount` books a list sharing a
/// `recurringBookingUid`, and cancelling takes one occurrence, the later ones too, or the rest.
@Suite(.timeLimit(.minutes(1)))
struct CalComRecurringTests {
    static let headers = [("Authorization", "Bearer cal_test_recurring"), ("cal-api-version", "2024-08-13")]
    static let attendee: JSON = ["name": "Ann", "email": "ann@example.com", "timeZone": "UTC"]

    /// Event type 21: an hour, weekdays 09:00-17:00 UTC, every 2 weeks, at most 6 times.
    static func client() async throws -> SandboxClient {
        let client = try SandboxClient()
        let (status, _) = try await client.json("POST", "/sandbox/calcom/event-types", [
            "id": 21, "length_minutes": 60, "time_zone": "UTC", "recurrence": ["frequency": "weekly", "interval": 2, "occurrences": 6],
        ])
        #expect(status == 201)
        return client
    }

    static func book(_ client: SandboxClient, start: String = "2030-01-07T10:00:00Z", count: Int64? = 4,
                     eventType: Int64 = 21) async throws -> (Int, JSON) {
        var body: JSONObject = ["start": .string(start), "eventTypeId": .int(eventType), "attendee": attendee,
                                "metadata": ["switchboard_key": "i-1:book#0:calcom.createBooking"]]
        if let count { body["recurrenceCount"] = .int(count) }
        return try await client.json("POST", "/calcom/v2/bookings", .object(body), headers: headers)
    }

    @Test func recurrenceCount_booksTheSeriesEveryIntervalWeeks_asAList() async throws {
        let client = try await Self.client()
        let (status, created) = try await Self.book(client)
        #expect(status == 201)
        let occurrences = try #require(created["data"]?.arrayValue)
        #expect(occurrences.compactMap { $0["start"]?.stringValue }
                == ["2030-01-07T10:00:00.000Z", "2030-01-21T10:00:00.000Z", "2030-02-04T10:00:00.000Z", "2030-02-18T10:00:00.000Z"])
        let series = Set(occurrences.compactMap { $0["recurringBookingUid"]?.stringValue })
        #expect(series.count == 1)
        #expect(Set(occurrences.compactMap { $0["uid"]?.stringValue }).count == 4)
        #expect(occurrences.allSatisfy { $0.value(at: "metadata.switchboard_key")?.stringValue == "i-1:book#0:calcom.createBooking" })
        // The third occurrence's hour is no longer free.
        let (_, slots) = try await client.json("GET", "/calcom/v2/slots?eventTypeId=21&start=2030-02-04&end=2030-02-04",
                                               headers: [Self.headers[0], ("cal-api-version", "2024-09-04")])
        let starts = slots.value(at: "data.2030-02-04")?.arrayValue?.compactMap { $0["start"]?.stringValue } ?? []
        #expect(!starts.contains("2030-02-04T10:00:00.000Z") && starts.contains("2030-02-04T11:00:00.000Z"), "\(starts)")
        try await client.stop()
    }

    @Test func recurrenceCount_beyondTheEventType_orOnAOneOffType_isRefused() async throws {
        let client = try await Self.client()
        let (tooMany, body) = try await Self.book(client, count: 7)
        #expect(tooMany == 400)
        #expect(body.value(at: "error.message")?.stringValue == "recurrenceCount must be between 1 and 6, the event type's occurrences")
        let (oneOff, refused) = try await Self.book(client, eventType: 5)
        #expect(oneOff == 400)
        #expect(refused.value(at: "error.message")?.stringValue?.hasPrefix("Event type with id=5 is not a recurring event type") == true)
        #expect(client.sandbox.state.value(at: "calcom.bookings")?.intValue == 0)
        try await client.stop()
    }

    @Test func laterOccurrenceTaken_refusesTheWholeSeries() async throws {
        let client = try await Self.client()
        let (single, _) = try await client.json("POST", "/calcom/v2/bookings", [
            "start": "2030-02-04T10:00:00Z", "eventTypeId": 5, "attendee": Self.attendee,
        ], headers: Self.headers)
        #expect(single == 201)
        let (status, body) = try await Self.book(client)
        #expect(status == 400)
        #expect(body.value(at: "error.message")?.stringValue == "User either already has booking at this time or is not available")
        #expect(client.sandbox.state.value(at: "calcom.bookings")?.intValue == 1)
        try await client.stop()
    }

    @Test func cancel_takesOneOccurrence_orWithCancelSubsequentBookings_theLaterOnesToo() async throws {
        let client = try await Self.client()
        let (_, created) = try await Self.book(client)
        let uids = created["data"]?.arrayValue?.compactMap { $0["uid"]?.stringValue } ?? []
        try #require(uids.count == 4)
        let (oneStatus, one) = try await client.json("POST", "/calcom/v2/bookings/\(uids[1])/cancel", ["cancellationReason": "away"],
                                                     headers: Self.headers)
        #expect(oneStatus == 200)
        #expect(one.value(at: "data.uid")?.stringValue == uids[1])
        #expect(one.value(at: "data.status")?.stringValue == "cancelled")
        #expect(client.sandbox.state.value(at: "calcom.accepted")?.intValue == 3)

        let (restStatus, rest) = try await client.json("POST", "/calcom/v2/bookings/\(uids[2])/cancel",
                                                       ["cancellationReason": "done", "cancelSubsequentBookings": true], headers: Self.headers)
        #expect(restStatus == 200)
        #expect(rest["data"]?.arrayValue?.compactMap { $0["uid"]?.stringValue } == [uids[2], uids[3]])
        let statuses = client.sandbox.state.value(at: "calcom.list")?.arrayValue?.compactMap { $0["status"]?.stringValue }
        #expect(statuses == ["accepted", "cancelled", "cancelled", "cancelled"])
        try await client.stop()
    }

    @Test func cancellingInTheCalendar_sendsOneEvent_withTheRecurrenceOnlyForAllRemaining() async throws {
        let receiver = try WebhookReceiver()
        let client = try await Self.client()
        client.sandbox.register(WebhookTarget(provider: .calcom, url: receiver.url + "/hooks/calcom", secret: "calsecret"))
        let (_, created) = try await Self.book(client)
        let uids = created["data"]?.arrayValue?.compactMap { $0["uid"]?.stringValue } ?? []
        try #require(uids.count == 4)
        let (status, one) = try await client.json("POST", "/sandbox/calcom/bookings/\(uids[1])/cancel", ["reason": "away"])
        #expect(status == 200)
        #expect(one["cancelled"]?.arrayValue?.compactMap(\.stringValue) == [uids[1]])
        let (_, all) = try await client.json("POST", "/sandbox/calcom/bookings/\(uids[2])/cancel", ["reason": "moving", "all_remaining": true])
        // 2030 is ahead: every occurrence still to come goes (the one cancelled before is not cancelled again).
        #expect(all["cancelled"]?.arrayValue?.compactMap(\.stringValue) == [uids[2], uids[0], uids[3]])

        let events = try receiver.requests.map { try JSONParser.parse($0.body) }
        #expect(events.count == 2)
        #expect(events.map { $0.value(at: "payload.uid")?.stringValue } == [uids[1], uids[2]])
        #expect(events[0].value(at: "payload.startTime")?.stringValue == "2030-01-21T10:00:00Z")
        #expect(events[0].value(at: "payload.recurringEvent") == nil)
        #expect(events[1].value(at: "payload.recurringEvent") == ["freq": 2, "interval": 2, "count": 6])
        #expect(client.sandbox.state.value(at: "calcom.accepted")?.intValue == 0)
        try await client.stop()
        try await receiver.stop()
    }
}
