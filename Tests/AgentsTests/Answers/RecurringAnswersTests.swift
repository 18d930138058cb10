import Integration
import Model
import Synchronization
import Testing
@testable import Agents

/// A series' booking answer is recorded in the trace and replayed by what-if like a single one.
struct RecurringAnswersTests {
    @Test func recurringBooking_isRecordedThenReplayed_withoutCallingTheCalendar() async throws {
        let id = InteractionID("int_01M80FXS36ECQZZCK8T5BYW5FB")!
        let sink = ReplayingProvidersTests.Sink()
        let calendar = BookAgentSeriesTests.Calendar()
        let context = CallContext(tenant: "clinic", idempotencyKey: "\(id):book#0", recorder: sink)
        let request = BookingRequest(eventTypeID: 72, start: "2030-01-07T10:00:00Z",
                                     attendee: Attendee(name: "Kai", phoneNumber: "+447700900111", timeZone: "UTC"))
        let booked = try await RecordingProviders.wrap(TenantProviders(scheduling: calendar)).scheduling!
            .createRecurringBooking(request, count: 3, context: context)
        let answers = sink.recorded
        #expect(answers.map(\.key) == ["scheduling.createRecurringBooking"])
        #expect(answers.first?.result.arrayValue?.compactMap { $0["recurring_booking_uid"]?.stringValue } == ["series-1", "series-1", "series-1"])

        let book = AnswerBook()
        book.add(RecordedAnswers(answers), for: id)
        let replayed = try await ReplayingProviders.wrap(TenantProviders(scheduling: calendar), book: book).scheduling!
            .createRecurringBooking(request, count: 3, context: CallContext(tenant: "clinic", idempotencyKey: "\(id):book#0"))
        #expect(replayed == booked)
        #expect(calendar.series.withLock { $0.count } == 1)
    }
}
