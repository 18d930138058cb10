/// A calendar date in the tenant's zone, such as a closed day.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD` and checks the day exists (`2026-02-30` does not).
    public static func parse(_ text: String) -> LocalDate? {
        let utf8 = Array(text.utf8)
        guard utf8.count == 10, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in utf8[range] {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              (1...12).contains(month), day >= 1 else { return nil }
        let date = LocalDate(year: year, month: month, day: day)
        let roundTrip = Timestamp.civilFromDays(date.daysSinceEpoch)
        guard roundTrip.day == day, roundTrip.month == month else { return nil }
        return date
    }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int64 { Timestamp.daysFromCivil(year: year, month: month, day: day) }

    public var weekday: Weekday { Weekday(rawValue: Int(((daysSinceEpoch % 7) + 11) % 7))! }

    /// `2026-12-25`
    public var description: String {
        "\(Timestamp.pad(year, 4))-\(Timestamp.pad(month, 2))-\(Timestamp.pad(day, 2))"
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}
