import Integration
import Model
import Native
import Sandbox
import Testing

/// Cal.com's recurring bookings through the adapter, against the sandbox over real HTTP.
@Suite(.timeLimit(.minutes(1)))
struct CalComSchedulingRecurringTests {
    /// Event type 31 repeats every 2 weeks, at most 6 times.
    static func fixture() throws -> SandboxFixture {
        try SandboxFixture { configuration in
            configuration.eventTypes = [SandboxEventType(id: 31, recurrence: .init(everyWeeks: 2, maxCount: 6))]
        }
    }

    @Test func recurringBooking_isTheListOfOccurrences_keyedInTheirMetadata() async throws {
        let fixture = try Self.fixture()
        let calcom = fixture.calcom()
        let day = CalComSchedulingTests.nextMonday()
        let request = BookingRequest(eventTypeID: 31, start: "\(day)T10:00:00Z", attendee: CalComSchedulingTests.attendee)
        let series = try await calcom.createRecurringBooking(request, count: 3, context: fixture.context("i-1:book#0"))
        #expect(series.count == 3)
        #expect(series.first?.start == "\(day)T10:00:00.000Z")
        let starts = series.compactMap { Timestamp.parseISO8601($0.start) }
        #expect(zip(starts, starts.dropFirst()).allSatisfy { $1 - $0 == 14 * 86_400_000 })
        #expect(Set(series.compactMap(\.recurringBookingUid)).count == 1)
        #expect(fixture.sandbox.state.value(at: "calcom.by_idempotency_key")?["i-1:book#0:calcom.createRecurringBooking"]?.intValue == 3)

        let taken = await #expect(throws: ProviderError.self) {
            try await calcom.createRecurringBooking(request, count: 3, context: fixture.context("i-2:book#0"))
        }
        #expect(taken?.kind == .conflict)

        let rest = try await calcom.cancelSubsequentBookings(uid: series[1].uid, reason: "moving away", context: fixture.context())
        #expect(rest.map(\.uid) == [series[1].uid, series[2].uid])
        #expect(rest.allSatisfy { $0.status == "cancelled" })
        #expect(fixture.sandbox.state.value(at: "calcom.accepted")?.intValue == 1)
        try await fixture.stop()
    }
}
