import Model
import Native
import Sandbox
import Testing

/// Cal.com's version header, parameters and business hours.
@Suite(.timeLimit(.minutes(1)))
struct CalComSimulatorTests {
    static let auth = [("Authorization", "Bearer cal_test_sim")]

    @Test func versionHeader_isRequiredPerEndpoint() async throws {
        let client = try SandboxClient()
        let noVersion = try await client.json("GET", "/calcom/v2/slots?eventTypeId=1&start=2030-01-07&end=2030-01-07", headers: Self.auth)
        #expect(noVersion.0 == 400)
        #expect(noVersion.1.value(at: "error.code")?.stringValue == "BadRequestException")
        #expect(noVersion.1["status"]?.stringValue == "error")
        let ok = try await client.json("GET", "/calcom/v2/slots?eventTypeId=1&start=2030-01-07&end=2030-01-07",
                                       headers: Self.auth + [("cal-api-version", "2024-09-04")])
        #expect(ok.0 == 200)
        // 2030-01-07 is a Monday: 09:00 to 16:00 UTC, hourly.
        #expect(ok.1.value(at: "data.2030-01-07")?.arrayValue?.count == 8)
        #expect(ok.1.value(at: "data.2030-01-07.0.start")?.stringValue == "2030-01-07T09:00:00.000Z")
        try await client.stop()
    }

    @Test func definedEventType_usesItsHoursLengthAndZone() async throws {
        let client = try SandboxClient()
        let (status, _) = try await client.json("POST", "/sandbox/calcom/event-types", [
            "id": 9, "length_minutes": 90, "time_zone": "Europe/Paris", "hours": ["sat": ["10:00", "13:00"]],
        ])
        #expect(status == 201)
        // Saturday 2030-01-05, Paris is UTC+1 in January.
        let (_, slots) = try await client.json("GET", "/calcom/v2/slots?eventTypeId=9&start=2030-01-05&end=2030-01-05&timeZone=Europe/Paris",
                                               headers: Self.auth + [("cal-api-version", "2024-09-04")])
        #expect(slots.value(at: "data.2030-01-05")?.arrayValue?.compactMap { $0["start"]?.stringValue }
                == ["2030-01-05T10:00:00.000+01:00", "2030-01-05T11:30:00.000+01:00"])
        let (utcStatus, utc) = try await client.json("GET", "/calcom/v2/slots?eventTypeId=9&start=2030-01-05&end=2030-01-05",
                                                     headers: Self.auth + [("cal-api-version", "2024-09-04")])
        #expect(utcStatus == 200)
        #expect(utc.value(at: "data.2030-01-05.0.start")?.stringValue == "2030-01-05T09:00:00.000Z")
        try await client.stop()
    }

    @Test func bookingOutsideHours_isNotAvailable() async throws {
        let client = try SandboxClient()
        let (status, body) = try await client.json("POST", "/calcom/v2/bookings", [
            "start": "2030-01-06T10:00:00Z", "eventTypeId": 1, "attendee": ["name": "A", "email": "a@x.example", "timeZone": "UTC"],
        ], headers: Self.auth + [("cal-api-version", "2024-08-13")])
        #expect(status == 400)
        #expect(body.value(at: "error.message")?.stringValue == "User either already has booking at this time or is not available")
        try await client.stop()
    }

    @Test func multipleDurations_takeTheLengthAsked_andRefuseOthersAndOverlaps() async throws {
        let client = try SandboxClient()
        let (status, _) = try await client.json("POST", "/sandbox/calcom/event-types", [
            "id": 12, "length_minutes": 60, "length_options": [120, 180], "hours": ["mon": ["09:00", "17:00"]],
        ])
        #expect(status == 201)
        let headers = Self.auth + [("cal-api-version", "2024-08-13")]
        func book(_ start: String, _ minutes: Int64) async throws -> (Int, JSON) {
            try await client.json("POST", "/calcom/v2/bookings", [
                "start": .string(start), "eventTypeId": 12, "lengthInMinutes": .int(minutes),
                "attendee": ["name": "A", "email": "a@x.example", "timeZone": "UTC"],
            ], headers: headers)
        }
        let long = try await book("2030-01-07T09:00:00Z", 180)
        #expect(long.0 == 201)
        #expect(long.1.value(at: "data.end")?.stringValue == "2030-01-07T12:00:00.000Z")
        #expect(long.1.value(at: "data.duration")?.intValue == 180)
        // Not a length the event type offers.
        let odd = try await book("2030-01-07T14:00:00Z", 90)
        #expect(odd.0 == 400)
        #expect(odd.1.value(at: "error.message")?.stringValue == "lengthInMinutes must be one of 60, 120, 180 for event type 12")
        // 13:00 is a free hour, but two hours from it meet a booking at 14:00; a length that runs
        // past closing is refused too.
        #expect(try await book("2030-01-07T14:00:00Z", 60).0 == 201)
        #expect(try await book("2030-01-07T13:00:00Z", 120).0 == 400)
        #expect(try await book("2030-01-07T12:00:00Z", 60).0 == 201)
        #expect(try await book("2030-01-07T15:00:00Z", 180).0 == 400)
        try await client.stop()
    }
}
