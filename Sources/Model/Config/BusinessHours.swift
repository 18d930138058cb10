/// When a tenant is open: time ranges per weekday (none means closed that day) and closed dates.
public struct BusinessHours: Sendable, Hashable {
    public var ranges: [Weekday: [TimeRange]]
    public var closedDates: Set<LocalDate>

    public init(ranges: [Weekday: [TimeRange]] = [:], closedDates: Set<LocalDate> = []) {
        self.ranges = ranges
        self.closedDates = closedDates
    }

    public func ranges(on weekday: Weekday) -> [TimeRange] { ranges[weekday] ?? [] }

    /// True when `time` on `date` falls inside the hours and the date is not a closed date.
    public func isOpen(on date: LocalDate, at time: TimeOfDay) -> Bool {
        guard !closedDates.contains(date) else { return false }
        return ranges(on: date.weekday).contains { $0.contains(time) }
    }

    /// The weekdays with any opening hours.
    public var openWeekdays: Set<Weekday> { Set(ranges.filter { !$0.value.isEmpty }.keys) }
}
