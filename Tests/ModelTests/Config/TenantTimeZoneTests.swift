import Testing
@testable import Model

struct TenantTimeZoneTests {
    @Test func ianaNames_resolve_abbreviationsAndTyposDoNot() {
        #expect(TenantTimeZone(identifier: "America/Chicago") != nil)
        #expect(TenantTimeZone(identifier: "Europe/London") != nil)
        #expect(TenantTimeZone(identifier: "UTC") != nil)
        #expect(TenantTimeZone(identifier: "Europe/Londn") == nil)
        #expect(TenantTimeZone(identifier: "CST") == nil)
        #expect(TenantTimeZone.knownIdentifiers.contains("Australia/Sydney"))
    }

    @Test func localTime_followsDaylightSaving() {
        let london = TenantTimeZone(identifier: "Europe/London")!
        // 2026-03-29 01:00 UTC is when the UK moves to BST.
        #expect(london.secondsFromGMT(atUnixSeconds: 1_774_745_999) == 0)
        #expect(london.secondsFromGMT(atUnixSeconds: 1_774_746_000) == 3600)
        let civil = london.localTime(atUnixSeconds: 1_782_918_000)  // 2026-07-01T15:00:00Z
        #expect(civil.hour == 16 && civil.day == 1 && civil.month == 7)
    }

    @Test func wallClock_convertsToInstants_inGapsAndOverlaps() {
        let chicago = TenantTimeZone(identifier: "America/Chicago")!
        let date = LocalDate(year: 2026, month: 11, day: 24)
        #expect(chicago.unixSeconds(on: date, at: TimeOfDay(hour: 9, minute: 0)) == 1_795_532_400)
        // 2026-03-08 02:30 does not exist in Chicago: an hour later, 03:30 CDT = 08:30Z.
        let gap = chicago.unixSeconds(on: LocalDate(year: 2026, month: 3, day: 8), at: TimeOfDay(hour: 2, minute: 30))
        #expect(Timestamp.iso8601(seconds: gap) == "2026-03-08T08:30:00Z")
        // 2026-11-01 01:30 happens twice: the first is 06:30Z (CDT).
        let overlap = chicago.unixSeconds(on: LocalDate(year: 2026, month: 11, day: 1), at: TimeOfDay(hour: 1, minute: 30))
        #expect(Timestamp.iso8601(seconds: overlap) == "2026-11-01T06:30:00Z")
    }

    @Test func calendarValues_parseStrictly() {
        #expect(LocalDate.parse("2026-02-28")?.weekday == .saturday)
        #expect(LocalDate.parse("2026-02-29") == nil)
        #expect(LocalDate.parse("2026-2-28") == nil)
        #expect(TimeRange.parse("08:00-18:00")?.contains(TimeOfDay(hour: 17, minute: 59)) == true)
        #expect(TimeRange.parse("22:00-06:00")?.contains(TimeOfDay(hour: 2, minute: 0)) == true)
        #expect(TimeRange.parse("25:00-18:00") == nil)
        #expect(TimeRange.parse("08:00-08:00") == nil)
        #expect(TimeOfDay.parse("24:00")?.minutes == 1440)
        #expect(DatePattern.parse("EEE, MMM d 'at' h:mm a") != nil)
        #expect(DatePattern.parse("yyy") == nil)
        #expect(DatePattern.parse("'open") == nil)
    }
}
