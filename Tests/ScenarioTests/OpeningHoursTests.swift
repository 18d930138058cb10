import Model
import Native
import Testing

/// Times the business is closed, and services offered outside business hours, over real HTTP
/// against the sandbox (Acme Plumbing: closed on Sundays; emergencies at any hour).
@Suite(.serialized, .timeLimit(.minutes(3)))
struct OpeningHoursTests {
    /// The first Sunday at least two days ahead, in Austin.
    static var sunday: LocalDate {
        var date = StoryTime.weekday(atLeast: 2)
        while date.weekday != .sunday || StoryTime.closed.contains(date) { date = StoryTime.next(date) }
        return date
    }

    @Test func closedDay_isAnsweredAsClosed_withTheNextOpenTimes() async throws {
        let harness = try Harness()
        let phone = "+15125550161"
        let sunday = Self.sunday
        let trace = try await AcmePlumbingTests.book(harness, phone: phone, at: StoryTime.iso(sunday, hour: 10))
        #expect(trace["status"] == "awaiting_reply", "\(trace["reason"] ?? .null) \(AcmePlumbingTests.states(trace))")
        #expect(trace.value(at: "context.conflict.kind") == "closed")
        let offer = JSON.texts(harness.outbox(to: phone)).last ?? ""
        #expect(offer.hasPrefix("Sorry, we're closed on Sundays. We can do:\n1) "), "\(offer)")
        #expect(!offer.contains("taken"))
        // The next open times: after the Sunday asked for, in order.
        let sundayEnd = StoryTime.chicago.unixSeconds(on: StoryTime.next(sunday), at: TimeOfDay(hour: 0, minute: 0))
        let starts = (trace.value(at: "context.alternatives")?.arrayValue ?? []).compactMap { $0["start"]?.stringValue.flatMap(Timestamp.parseISO8601) }
        #expect(starts.count == 3 && starts == starts.sorted() && starts.allSatisfy { $0 / 1000 >= sundayEnd }, "\(starts)")
    }

    @Test func emergencyOnASunday_isBookedThen_atTheAfterHoursPrice() async throws {
        let harness = try Harness()
        let phone = "+15125550162"
        let sunday = StoryTime.iso(Self.sunday, hour: 9)
        let trace = try await AcmePlumbingTests.book(harness, phone: phone, at: sunday,
                                                     text: "A pipe burst in the kitchen, water everywhere!")
        #expect(trace["status"] == "completed", "\(trace["reason"] ?? .null) \(AcmePlumbingTests.states(trace))")
        #expect(trace.value(at: "context.service.id") == "emergency_callout")
        #expect(trace.value(at: "context.slot.start")?.stringValue.flatMap(Timestamp.parseISO8601) == Timestamp.parseISO8601(sunday))
        let rules = trace.value(at: "context.price.adjustments")?.arrayValue?.compactMap { $0["rule"]?.stringValue } ?? []
        #expect(rules.contains("after_hours"), "\(rules)")
        // 195 + 50% after hours = 292.50.
        #expect(trace.value(at: "context.price.total") == 29_250)
    }
}
