/// A service that may be booked as a series: the same time every few weeks.
///
/// ```yaml
/// recurrence:
///   every_weeks: [1, 2, 4]     # weekly, fortnightly, four-weekly
///   max_count: 12              # occurrences in one series at most
///   until: 2027-07-31          # and/or: none after this date
/// ```
public struct Recurrence: Sendable, Hashable {
    /// The intervals offered, in weeks, ascending.
    public var everyWeeks: [Int]
    /// Occurrences in one series at most (the first included); nil: only `until` limits it.
    public var maxCount: Int?
    /// No occurrence after this date (tenant's zone); nil: only `maxCount` limits it.
    public var until: LocalDate?

    public static let weeksRange = 1...52
    public static let countRange = 2...52

    public init(everyWeeks: [Int], maxCount: Int? = nil, until: LocalDate? = nil) {
        self.everyWeeks = Array(Set(everyWeeks)).sorted()
        self.maxCount = maxCount
        self.until = until
    }

    public func allows(everyWeeks weeks: Int) -> Bool { everyWeeks.contains(weeks) }

    /// How many occurrences a series every `weeks` weeks starting at `first` (Unix seconds) may
    /// have when `requested` were asked for (nil: as many as allowed), in `zone`.
    public func count(requested: Int?, everyWeeks weeks: Int, first: Int64, zone: TenantTimeZone) -> Int {
        var limit = maxCount ?? Self.countRange.upperBound
        if let until {
            let local = zone.localTime(atUnixSeconds: first)
            let firstDay = LocalDate(year: local.year, month: local.month, day: local.day).daysSinceEpoch
            let days = until.daysSinceEpoch - firstDay
            limit = min(limit, days < 0 ? 0 : Int(days / Int64(7 * weeks)) + 1)
        }
        return min(requested ?? limit, limit)
    }

    /// The starts (Unix seconds) of `count` occurrences every `weeks` weeks from `first`, at the
    /// same local time in `zone` (a series keeps 10:00 across a change of summer time).
    public static func starts(first: Int64, everyWeeks weeks: Int, count: Int, zone: TenantTimeZone) -> [Int64] {
        let local = zone.localTime(atUnixSeconds: first)
        let day = LocalDate(year: local.year, month: local.month, day: local.day).daysSinceEpoch
        let time = TimeOfDay(hour: local.hour, minute: local.minute)
        return (0..<max(0, count)).map { index in
            let (y, m, d) = Timestamp.civilFromDays(day + Int64(index * 7 * weeks))
            return zone.unixSeconds(on: LocalDate(year: y, month: m, day: d), at: time) + Int64(local.second)
        }
    }
}
