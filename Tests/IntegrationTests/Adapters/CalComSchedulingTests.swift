import Integration
import Model
import Native
import Sandbox
import Testing

/// Cal.com adapter against the sandbox over real HTTP.
@Suite(.timeLimit(.minutes(1)))
struct CalComSchedulingTests {
    /// The date of the next Monday at least two days ahead (`2026-11-30`).
    static func nextMonday() -> String {
        var days = Clock.unixSeconds() / 86_400 + 2
        while ((days % 7) + 11) % 7 != 1 { days += 1 }
        return String(Timestamp.iso8601(seconds: days * 86_400).prefix(10))
    }

    static let attendee = Attendee(name: "Ann Lee", email: "ann@example.com", phoneNumber: "+14155550101", timeZone: "UTC")

    @Test func slots_bookings_reschedule_andCancel() async throws {
        let fixture = try SandboxFixture()
        let calcom = fixture.calcom()
        let day = Self.nextMonday()
        let query = SlotQuery(eventTypeID: 42, start: day, end: day, timeZone: "UTC")
        let slots = try await calcom.availableSlots(query, context: fixture.context())
        #expect(slots.map(\.start) == (9..<17).map { "\(day)T\($0 < 10 ? "0" : "")\($0):00:00.000Z" })
        #expect(slots.first?.end == "\(day)T10:00:00.000Z")

        let booking = try await calcom.createBooking(BookingRequest(eventTypeID: 42, start: "\(day)T10:00:00Z", attendee: Self.attendee,
                                                                    metadata: ["booking_ref": "b-1"]), context: fixture.context("i-1:book"))
        #expect(booking.status == "accepted")
        #expect(booking.start == "\(day)T10:00:00.000Z")
        #expect(booking.end == "\(day)T11:00:00.000Z")
        #expect(try await calcom.availableSlots(query, context: fixture.context()).count == 7)
        #expect(fixture.sandbox.state.value(at: "calcom.by_idempotency_key")?["i-1:book:calcom.createBooking"]?.intValue == 1)

        let taken = await #expect(throws: ProviderError.self) {
            try await calcom.createBooking(BookingRequest(eventTypeID: 42, start: "\(day)T10:00:00Z", attendee: Self.attendee),
                                           context: fixture.context("i-2:book"))
        }
        #expect(taken?.kind == .conflict)

        let moved = try await calcom.rescheduleBooking(uid: booking.uid, start: "\(day)T14:00:00Z", reason: "customer asked",
                                                       context: fixture.context("i-1:move"))
        #expect(moved.uid != booking.uid)
        #expect(moved.start == "\(day)T14:00:00.000Z")
        let afterMove = try await calcom.availableSlots(query, context: fixture.context()).map(\.start)
        #expect(afterMove.contains("\(day)T10:00:00.000Z"))
        #expect(!afterMove.contains("\(day)T14:00:00.000Z"))

        let cancelled = try await calcom.cancelBooking(uid: moved.uid, reason: "no longer needed", context: fixture.context())
        #expect(cancelled.status == "cancelled")
        #expect(try await calcom.availableSlots(query, context: fixture.context()).count == 8)
        try await fixture.stop()
    }

    @Test func slots_followTheEventTypesTimeZoneAndAreShownInTheAskedOne() async throws {
        let fixture = try SandboxFixture { configuration in
            configuration.eventTypes = [SandboxEventType(id: 7, lengthInMinutes: 30, timeZone: "America/New_York",
                                                         hours: [1: 540...600])]
        }
        let day = Self.nextMonday()
        let slots = try await fixture.calcom().availableSlots(SlotQuery(eventTypeID: 7, start: day, end: day, timeZone: "America/New_York"),
                                                              context: fixture.context())
        // 09:00 and 09:30 New York time, with New York's offset on that day (-05:00 or -04:00).
        #expect(slots.count == 2)
        #expect(slots.first?.start.hasPrefix("\(day)T09:00:00.000-0") == true)
        #expect(slots.last?.start.hasPrefix("\(day)T09:30:00.000-0") == true)
        try await fixture.stop()
    }

    @Test func unknownBooking_isNotFound() async throws {
        let fixture = try SandboxFixture()
        let error = await #expect(throws: ProviderError.self) {
            try await fixture.calcom().cancelBooking(uid: "nope", reason: "x", context: fixture.context())
        }
        #expect(error?.kind == .notFound)
        #expect(error?.code == "NotFoundException")
        try await fixture.stop()
    }

    @Test func badKey_isAnAuthFailure() async throws {
        let fixture = try SandboxFixture()
        let error = await #expect(throws: ProviderError.self) {
            try await fixture.calcom(key: "not-a-cal-key").availableSlots(SlotQuery(eventTypeID: 1, start: "2030-01-07", end: "2030-01-07"),
                                                                         context: fixture.context())
        }
        #expect(error?.kind == .authFailure)
        try await fixture.stop()
    }
}
