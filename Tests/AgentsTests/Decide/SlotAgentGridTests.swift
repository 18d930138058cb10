import Model
import Testing
@testable import Agents

/// How `decide.slot` tells a time off the calendar's grid of start times from a taken one.
struct SlotAgentGridTests {
    static let utc = TenantTimeZone(identifier: "UTC")!
    /// Monday 2026-11-23 00:00 UTC.
    static let monday: Int64 = 1_795_392_000
    static func at(_ hour: Int, _ minute: Int = 0, day: Int64 = 0) -> Int64 { monday + day * 86_400 + Int64(hour * 3600 + minute * 60) }
    static let ninetyMinutes: Int64 = 5400

    @Test func aTimeBetweenTheStarts_isOffTheGrid() {
        let starts = [Self.at(14, 30), Self.at(16), Self.at(17, 30)]
        #expect(SlotAgent.gridStep(missing: Self.at(14), calendarStarts: starts, duration: Self.ninetyMinutes, zone: Self.utc) == 5400)
    }

    @Test func aStartOnTheGrid_thatIsMissing_isTaken() {
        let starts = [Self.at(11, 30), Self.at(13), Self.at(16)]
        #expect(SlotAgent.gridStep(missing: Self.at(10), calendarStarts: starts, duration: Self.ninetyMinutes, zone: Self.utc) == nil)
        #expect(SlotAgent.gridStep(missing: Self.at(14, 30), calendarStarts: starts, duration: Self.ninetyMinutes, zone: Self.utc) == nil)
    }

    @Test func aGapLeftByBookings_isNotMistakenForTheGrid() {
        // 16:00 is booked: the free starts 14:30 and 17:30 are three hours apart, the grid is still 90 minutes.
        let starts = [Self.at(14, 30), Self.at(17, 30)]
        #expect(SlotAgent.gridStep(missing: Self.at(16), calendarStarts: starts, duration: Self.ninetyMinutes, zone: Self.utc) == nil)
    }

    @Test func aFinerGridThanTheDuration_isReadFromTheStarts() {
        let starts = [Self.at(9), Self.at(9, 30), Self.at(11)]
        #expect(SlotAgent.gridStep(missing: Self.at(10), calendarStarts: starts, duration: Self.ninetyMinutes, zone: Self.utc) == nil)
        #expect(SlotAgent.gridStep(missing: Self.at(10, 15), calendarStarts: starts, duration: Self.ninetyMinutes, zone: Self.utc) == 1800)
    }

    @Test func aDayWithoutFreeStarts_saysNothingAboutTheGrid() {
        let nextDay = [Self.at(7, day: 1), Self.at(8, 30, day: 1)]
        #expect(SlotAgent.gridStep(missing: Self.at(14), calendarStarts: nextDay, duration: Self.ninetyMinutes, zone: Self.utc) == nil)
    }

    @Test func stepsAreSpokenInWords() {
        #expect(SlotAgent.spoken(seconds: 5400) == "90 minutes")
        #expect(SlotAgent.spoken(seconds: 3600) == "hour")
        #expect(SlotAgent.spoken(seconds: 7200) == "2 hours")
    }
}
