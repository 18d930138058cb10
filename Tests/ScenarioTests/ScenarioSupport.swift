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
