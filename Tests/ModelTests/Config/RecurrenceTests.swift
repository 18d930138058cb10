import Model
import Testing

struct RecurrenceTests {
    static let london = TenantTimeZone(identifier: "Europe/London")!
    /// Monday 2027-03-15 10:00 in London (GMT); summer time starts on 2027-03-28.
    static let first = london.unixSeconds(on: LocalDate(year: 2027, month: 3, day: 15), at: TimeOfDay(hour: 10, minute: 0))

    @Test func starts_keepTheLocalTimeAcrossSummerTime() {
        let starts = Recurrence.starts(first: Self.first, everyWeeks: 2, count: 3, zone: Self.london)
        let local = starts.map { Self.london.localTime(atUnixSeconds: $0) }
        #expect(local.map(\.day) == [15, 29, 12])
        #expect(local.allSatisfy { $0.hour == 10 && $0.minute == 0 })
        #expect(starts[1] - starts[0] == 14 * 86_400 - 3600)
    }

    @Test func count_isWhatWasAsked_cappedByMaxCountAndTheEndDate() {
        let capped = Recurrence(everyWeeks: [1], maxCount: 6)
        #expect(capped.count(requested: 4, everyWeeks: 1, first: Self.first, zone: Self.london) == 4)
        #expect(capped.count(requested: nil, everyWeeks: 1, first: Self.first, zone: Self.london) == 6)
        #expect(capped.count(requested: 9, everyWeeks: 1, first: Self.first, zone: Self.london) == 6)
        // 15, 22, 29 March and 5 April fall on or before 5 April.
        let dated = Recurrence(everyWeeks: [1], until: LocalDate(year: 2027, month: 4, day: 5))
        #expect(dated.count(requested: nil, everyWeeks: 1, first: Self.first, zone: Self.london) == 4)
        #expect(dated.count(requested: nil, everyWeeks: 2, first: Self.first, zone: Self.london) == 2)
    }

    @Test func intervals_areKeptSortedAndOnce() {
        #expect(Recurrence(everyWeeks: [4, 1, 2, 1], maxCount: 3).everyWeeks == [1, 2, 4])
    }
}
