import Integration
import Model
import Native
import Testing

/// How decide.slot reads the calendar: a day at a time first, so a busy calendar is not asked
/// for (and the trace does not keep) weeks of slots when the next day has one.
@Suite struct SlotSearchTests {
    @Test func aClosedDay_isFollowedByOneMoreDay_notTheWholeSearch() async throws {
        let harness = try Harness()
        // Saturday after closing: the first day's window (to Sunday 14:00) has nothing within the
        // hours; the second asks for one more day and finds Monday morning.
        var saturday = StoryTime.weekday(atLeast: 1)
        while saturday.weekday != .saturday { saturday = StoryTime.next(saturday) }
        let trace = try await AcmePlumbingTests.book(harness, phone: "+15125550177", at: StoryTime.iso(saturday, hour: 15))
        let findSlot = try #require(trace["steps"]?.arrayValue?.first { $0["state"] == "find_slot" })
        let calls = findSlot["calls"]?.arrayValue ?? []
        #expect(calls.count == 2, "\(findSlot)")
        for call in calls {
            let url = try #require(call["url"]?.stringValue)
            let start = try #require(Self.query(url, "start").flatMap(Timestamp.parseISO8601))
            let end = try #require(Self.query(url, "end").flatMap(Timestamp.parseISO8601))
            #expect(end - start <= 86_400_000, "\(url)")
        }
        // 15:00 itself is outside the hours: Monday's slots come back as alternatives to offer.
        #expect(findSlot["outcome"] == "conflict", "\(findSlot)")
        #expect(trace["status"] == "awaiting_reply", "\(trace["reason"] ?? .null)")
    }

    @Test func aTimeOffTheGrid_getsTheNearestStartTimes_notTaken() async throws {
        let harness = try Harness()
        // The calendar offers 90-minute slots from 07:00: 13:00, 14:30, ... 14:00 is none of them.
        let day = StoryTime.weekday(atLeast: 2)
        let customer = "+15125550179"
        let text = "Hi, our kitchen sink is clogged. Can you come on \(day.weekday.name) at 2pm? We're in 78704."
        let asked = try await AcmePlumbingTests.text(harness, from: customer, text)
        #expect(asked["status"] == "awaiting_reply", "\(asked["reason"] ?? .null) \(AcmePlumbingTests.states(asked))")
        #expect(asked.value(at: "context.conflict.kind") == "off_grid", "\(asked.value(at: "context.conflict") ?? .null)")
        let starts = asked.value(at: "context.alternatives")?.arrayValue?.compactMap { $0["start"]?.stringValue.flatMap(Timestamp.parseISO8601) }
        let halfPastTwo = Timestamp.parseISO8601(StoryTime.iso(day, hour: 14, minute: 30))
        #expect(starts?.first == halfPastTwo, "the nearest start time on the grid comes first: \(starts ?? [])")
        let offer = JSON.texts(harness.outbox(to: customer)).last ?? ""
        #expect(offer.contains("Sorry, 2:00 PM is not one of our start times (they are every 90 minutes)"), "\(offer)")
        #expect(offer.contains("2:30 PM") && !offer.contains("taken"), "\(offer)")
    }

    static func query(_ url: String, _ name: String) -> String? {
        guard let query = url.split(separator: "?", maxSplits: 1).last else { return nil }
        for pair in query.split(separator: "&") where pair.hasPrefix(name + "=") {
            return pair.dropFirst(name.count + 1).split(separator: "%3A", omittingEmptySubsequences: false).joined(separator: ":")
        }
        return nil
    }
}
