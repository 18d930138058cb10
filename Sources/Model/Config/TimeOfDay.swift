/// A wall-clock time in the tenant's zone, as minutes after midnight (0 ... 1440).
public struct TimeOfDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var minutes: Int

    public init(minutes: Int) { self.minutes = minutes }

    public init(hour: Int, minute: Int) { minutes = hour * 60 + minute }

    /// Parses 24-hour `HH:MM` (`24:00` is the end of the day); nil otherwise.
    public static func parse(_ text: some StringProtocol) -> TimeOfDay? {
        let utf8 = Array(text.utf8)
        guard utf8.count == 5, utf8[2] == UInt8(ascii: ":"),
              utf8.enumerated().allSatisfy({ $0.offset == 2 || ($0.element >= 48 && $0.element <= 57) }) else { return nil }
        let hour = Int(utf8[0] - 48) * 10 + Int(utf8[1] - 48)
        let minute = Int(utf8[3] - 48) * 10 + Int(utf8[4] - 48)
        guard minute < 60, hour < 24 || (hour == 24 && minute == 0) else { return nil }
        return TimeOfDay(hour: hour, minute: minute)
    }

    /// `08:30`
    public var description: String {
        let hour = minutes / 60
        let minute = minutes % 60
        return (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }

    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool { lhs.minutes < rhs.minutes }
}

/// A span of wall-clock time, `start` included and `end` excluded. When `end` is before `start`
/// the span crosses midnight (`18:00-08:00`), which pricing rules allow and business hours do not.
public struct TimeRange: Sendable, Hashable, CustomStringConvertible {
    public var start: TimeOfDay
    public var end: TimeOfDay

    public init(start: TimeOfDay, end: TimeOfDay) {
        self.start = start
        self.end = end
    }

    /// Parses `HH:MM-HH:MM`; nil when either side is not a time or both are equal.
    public static func parse(_ text: String) -> TimeRange? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2,
              let start = TimeOfDay.parse(parts[0].trimmingSpaces()), let end = TimeOfDay.parse(parts[1].trimmingSpaces()),
              start != end, start.minutes < 1440 else { return nil }
        return TimeRange(start: start, end: end)
    }

    public var crossesMidnight: Bool { end < start }

    public func contains(_ time: TimeOfDay) -> Bool {
        crossesMidnight ? (time >= start || time < end) : (time >= start && time < end)
    }

    public var description: String { "\(start)-\(end)" }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var result = self
        while result.first == " " { result = result.dropFirst() }
        while result.last == " " { result = result.dropLast() }
        return result
    }
}
