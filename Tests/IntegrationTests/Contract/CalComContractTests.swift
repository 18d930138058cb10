import HTTP
import Integration
import Model
import Testing

/// The Cal.com adapter's requests against calcom.openapi.json, including `cal-api-version`.
@Suite(.timeLimit(.minutes(1)), .enabled(if: OpenAPIContract.isAvailable, "needs ../shared/providers"))
struct CalComContractTests {
    static let booking: JSON = ["id": 123, "uid": "booking_uid_123", "title": "Consultation", "status": "accepted",
                                "start": "2050-09-05T09:00:00Z", "end": "2050-09-05T10:00:00Z", "duration": 60]

    static func run(_ body: (CalComScheduling, CallContext) async throws -> Void) async throws -> [HTTPRequest] {
        let spec = try OpenAPIContract("calcom")
        let slots = try #require(spec.example("get", "/v2/slots", status: "200") ?? spec.root.value(at: "paths./v2/slots"))
        let server = try CaptureServer { request in
            if request.path == "/v2/slots" {
                let example = spec.resolve(spec.root.value(at: "paths./v2/slots.get.responses.200.content.application/json.schema.oneOf.0") ?? .null)
                return .json(example["example"] ?? slots)
            }
            return .json(["status": "success", "data": booking], status: request.path == "/v2/bookings" ? .created : .ok)
        }
        let runtime = try IntegrationRuntime(metrics: MetricsRegistry())
        let calcom = CalComScheduling(configuration: .init(baseURL: server.url, apiKey: "cal_test_contract"), runtime: runtime)
        try await body(calcom, CallContext(tenant: "acme", idempotencyKey: "i-1:book"))
        runtime.client.shutdown()
        try await server.stop()
        return server.requests
    }

    @Test func slotsAndBookings_matchTheSpecWithTheirVersionHeaders() async throws {
        let requests = try await Self.run { calcom, context in
            let slots = try await calcom.availableSlots(SlotQuery(eventTypeID: 100, start: "2050-09-05", end: "2050-09-06",
                                                                  timeZone: "Europe/Rome"), context: context)
            #expect(slots.map(\.start) == ["2050-09-05T09:00:00.000+02:00", "2050-09-05T10:00:00.000+02:00",
                                           "2050-09-06T09:00:00.000+02:00", "2050-09-06T10:00:00.000+02:00"])
            let booking = try await calcom.createBooking(BookingRequest(eventTypeID: 100, start: "2050-09-05T07:00:00Z",
                                                                        attendee: Attendee(name: "Ann Lee", email: "ann@example.com",
                                                                                           phoneNumber: "+14155550101", timeZone: "Europe/Rome"),
                                                                        metadata: ["booking_ref": "b-1"]), context: context)
            #expect(booking.uid == "booking_uid_123")
            _ = try await calcom.cancelBooking(uid: "booking_uid_123", reason: "customer cancelled", context: context)
            _ = try await calcom.rescheduleBooking(uid: "booking_uid_123", start: "2050-09-06T07:00:00Z", reason: "moved", context: context)
        }
        let spec = try OpenAPIContract("calcom")
        #expect(spec.problems(requests[0]) == [])
        #expect(requests[0].headers["cal-api-version"] == "2024-09-04")
        #expect(requests[0].queryItems == ["eventTypeId": "100", "start": "2050-09-05", "end": "2050-09-06", "slotFormat": "range",
                                           "timeZone": "Europe/Rome"])
        #expect(spec.problems(requests[1]) == [])
        #expect(requests[1].headers["cal-api-version"] == "2024-08-13")
        #expect(try JSONParser.parse(requests[1].body) == [
            "start": "2050-09-05T07:00:00Z", "eventTypeId": 100,
            "attendee": ["name": "Ann Lee", "timeZone": "Europe/Rome", "email": "ann@example.com", "phoneNumber": "+14155550101"],
            "metadata": ["booking_ref": "b-1", "switchboard_key": "i-1:book:calcom.createBooking"],
        ])
        #expect(spec.problems(requests[2]) == [])
        #expect(requests[2].path == "/v2/bookings/booking_uid_123/cancel")
        #expect(try JSONParser.parse(requests[2].body) == ["cancellationReason": "customer cancelled"])
        // Reschedule is not in the extract; the same version header and envelope apply.
        #expect(requests[3].path == "/v2/bookings/booking_uid_123/reschedule")
        #expect(requests[3].headers["cal-api-version"] == "2024-08-13")
        #expect(try JSONParser.parse(requests[3].body) == ["start": "2050-09-06T07:00:00Z", "reschedulingReason": "moved"])
        for request in requests { #expect(request.headers["Authorization"] == "Bearer cal_test_contract") }
    }
}
