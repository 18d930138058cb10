import Model
import Native

/// Dates and texts for stories that must work whatever day the tests run on.
enum StoryTime {
    static let chicago = TenantTimeZone(identifier: "America/Chicago")!
    static let closed: Set<LocalDate> = [LocalDate(year: 2026, month: 11, day: 26), LocalDate(year: 2026, month: 12, day: 25),
                                         LocalDate(year: 2027, month: 1, day: 1)]

    /// The first Monday-to-Friday at least `days` days ahead (in Chicago) that is not a holiday.
    static func weekday(atLeast days: Int, zone: TenantTimeZone = chicago) -> LocalDate {
        let now = zone.localTime(atUnixSeconds: Clock.unixSeconds())
        var date = LocalDate(year: now.year, month: now.month, day: now.day)
        for _ in 0..<days { date = next(date) }
        while date.weekday == .saturday || date.weekday == .sunday || closed.contains(date) { date = next(date) }
        return date
    }

    /// The first Monday-to-Friday at least `days` days ahead from which a series every `weeks`
    /// weeks meets none of `closed` in `count` occurrences and one more (room for the
    /// alternatives a flow offers): a run near Christmas must not see its series cut by it.
    static func seriesStart(atLeast days: Int, everyWeeks weeks: Int, count: Int, zone: TenantTimeZone = chicago,
                            closed: Set<LocalDate> = closed) -> LocalDate {
        var date = weekday(atLeast: days, zone: zone)
        func plus(_ days: Int64, _ date: LocalDate) -> LocalDate {
            let (y, m, d) = Timestamp.civilFromDays(date.daysSinceEpoch + days)
            return LocalDate(year: y, month: m, day: d)
        }
        while (0...count).contains(where: { closed.contains(plus(Int64($0 * 7 * weeks), date)) }) {
            date = next(date)
            while date.weekday == .saturday || date.weekday == .sunday || closed.contains(date) { date = next(date) }
        }
        return date
    }

    static func next(_ date: LocalDate) -> LocalDate {
        let (y, m, d) = Timestamp.civilFromDays(date.daysSinceEpoch + 1)
        return LocalDate(year: y, month: m, day: d)
    }

    /// ISO 8601 UTC for `hour:minute` on `date` in `zone`.
    static func iso(_ date: LocalDate, hour: Int, minute: Int = 0, zone: TenantTimeZone = chicago) -> String {
        Timestamp.iso8601(seconds: zone.unixSeconds(on: date, at: TimeOfDay(hour: hour, minute: minute)))
    }
}

extension JSON {
    /// The texts in a list of outbox entries.
    static func texts(_ entries: [JSON]) -> [String] {
        entries.compactMap { $0["body"]?.stringValue ?? $0["text"]?.stringValue }
    }
}
