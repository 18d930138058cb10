/// A POSIX TZ rule as TZif footers carry it (`CST6CDT,M3.2.0,M11.1.0`, `<-03>3`,
/// `AEST-10AEDT,M10.1.0,M4.1.0/3`), with the extensions of RFC 8536 section 3.3.1: hours
/// from -167 to 167 in transition times, so rules such as `M3.5.0/-2` and `J365/25` work.
struct PosixTimeZoneRule: Sendable {
    /// When daylight saving time starts or ends in a year, in the local time then in force.
    struct Transition: Sendable {
        enum Day: Sendable {
            /// `Jn`: day 1...365, February 29 never counted.
            case julianWithoutLeapDay(Int)
            /// `n`: day 0...365, February 29 counted in leap years.
            case zeroBasedDayOfYear(Int)
            /// `Mm.w.d`: weekday `d` (0 = Sunday) of week `w` (1...5, 5 = the last) of month `m`.
            case monthWeekDay(month: Int, week: Int, weekday: Int)
        }

        var day: Day
        var secondsIntoDay: Int64

        /// The days since 1970-01-01 of this transition's date in `year`.
        func daysSinceEpoch(in year: Int) -> Int64 {
            let january1 = Timestamp.daysFromCivil(year: year, month: 1, day: 1)
            switch day {
            case .julianWithoutLeapDay(let n):
                let afterFebruary = n >= 60 && Self.isLeap(year)
                return january1 + Int64(n - 1) + (afterFebruary ? 1 : 0)
            case .zeroBasedDayOfYear(let n):
                return january1 + Int64(n)
            case .monthWeekDay(let month, let week, let weekday):
                let first = Timestamp.daysFromCivil(year: year, month: month, day: 1)
                // 1970-01-01 was a Thursday (4).
                let firstWeekday = Int(((first % 7) + 11) % 7)
                var day = 1 + (weekday - firstWeekday + 7) % 7 + 7 * (week - 1)
                while day > Self.length(of: month, in: year) { day -= 7 }
                return first + Int64(day - 1)
            }
        }

        static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

        static func length(of month: Int, in year: Int) -> Int {
            switch month {
            case 2: isLeap(year) ? 29 : 28
            case 4, 6, 9, 11: 30
            default: 31
            }
        }
    }

    struct DaylightSaving: Sendable {
        var type: ZoneRules.LocalTimeType
        var start: Transition
        var end: Transition
    }

    var standard: ZoneRules.LocalTimeType
    var daylightSaving: DaylightSaving?

    func type(atUnixSeconds unixSeconds: Int64) -> ZoneRules.LocalTimeType {
        guard let daylightSaving else { return standard }
        let year = Timestamp.civil(unixSeconds: unixSeconds + Int64(standard.offsetSeconds)).year
        // The start is given in standard time, the end in daylight saving time.
        let start = daylightSaving.start.daysSinceEpoch(in: year) * 86_400 + daylightSaving.start.secondsIntoDay
            - Int64(standard.offsetSeconds)
        let end = daylightSaving.end.daysSinceEpoch(in: year) * 86_400 + daylightSaving.end.secondsIntoDay
            - Int64(daylightSaving.type.offsetSeconds)
        // In the southern hemisphere daylight saving time spans the new year: start after end.
        let inDaylightSaving = start < end ? (start <= unixSeconds && unixSeconds < end) : !(end <= unixSeconds && unixSeconds < start)
        return inDaylightSaving ? daylightSaving.type : standard
    }
}

extension PosixTimeZoneRule {
    /// Parses a rule; nil when `text` is not one.
    init?(_ text: String) {
        var scanner = Scanner(Array(text.utf8))
        guard let standardName = scanner.name(), let standardOffset = scanner.offset() else { return nil }
        standard = ZoneRules.LocalTimeType(offsetSeconds: -standardOffset, isDaylightSaving: false, abbreviation: standardName)
        guard !scanner.atEnd else {
            daylightSaving = nil
            return
        }
        guard let name = scanner.name() else { return nil }
        // Without an offset, daylight saving time is one hour ahead of standard time.
        let offset = scanner.atEnd || scanner.peek == UInt8(ascii: ",") ? standardOffset - 3600 : scanner.offset()
        guard let offset else { return nil }
        let type = ZoneRules.LocalTimeType(offsetSeconds: -offset, isDaylightSaving: true, abbreviation: name)
        // No rule: POSIX leaves it to the implementation; tzcode (and this) takes the US rule.
        guard !scanner.atEnd else {
            daylightSaving = DaylightSaving(type: type, start: Transition(day: .monthWeekDay(month: 3, week: 2, weekday: 0), secondsIntoDay: 7200),
                                            end: Transition(day: .monthWeekDay(month: 11, week: 1, weekday: 0), secondsIntoDay: 7200))
            return
        }
        guard scanner.take(","), let start = scanner.transition(), scanner.take(","), let end = scanner.transition(),
              scanner.atEnd else { return nil }
        daylightSaving = DaylightSaving(type: type, start: start, end: end)
    }

    private struct Scanner {
        let bytes: [UInt8]
        var position = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { position == bytes.count }
        var peek: UInt8? { atEnd ? nil : bytes[position] }

        mutating func take(_ character: Character) -> Bool {
            guard let ascii = character.asciiValue, peek == ascii else { return false }
            position += 1
            return true
        }

        /// `CST`, or `<-03>` / `<+0530>` quoted: at least three characters.
        mutating func name() -> String? {
            let start: Int, end: Int
            if take("<") {
                start = position
                while let byte = peek, byte != UInt8(ascii: ">") { position += 1 }
                end = position
                guard take(">") else { return nil }
            } else {
                start = position
                while let byte = peek, (65...90).contains(byte) || (97...122).contains(byte) { position += 1 }
                end = position
            }
            guard end - start >= 3 else { return nil }
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }

        mutating func number() -> Int? {
            var value = 0, digits = 0
            while let byte = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte), digits < 4 {
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
                position += 1
            }
            return digits == 0 ? nil : value
        }

        /// `[+-]hh[:mm[:ss]]` in seconds, hours up to 167.
        mutating func offset() -> Int? {
            let sign = take("-") ? -1 : 1
            if sign == 1 { _ = take("+") }
            guard let hours = number(), hours <= 167 else { return nil }
            var seconds = hours * 3600
            if take(":") {
                guard let minutes = number(), minutes < 60 else { return nil }
                seconds += minutes * 60
                if take(":") {
                    guard let rest = number(), rest < 60 else { return nil }
                    seconds += rest
                }
            }
            return sign * seconds
        }

        /// `Jn`, `n` or `Mm.w.d`, then an optional `/time` (02:00 by default).
        mutating func transition() -> Transition? {
            let day: Transition.Day
            if take("J") {
                guard let n = number(), (1...365).contains(n) else { return nil }
                day = .julianWithoutLeapDay(n)
            } else if take("M") {
                guard let month = number(), (1...12).contains(month), take("."),
                      let week = number(), (1...5).contains(week), take("."),
                      let weekday = number(), (0...6).contains(weekday) else { return nil }
                day = .monthWeekDay(month: month, week: week, weekday: weekday)
            } else {
                guard let n = number(), (0...365).contains(n) else { return nil }
                day = .zeroBasedDayOfYear(n)
            }
            var seconds: Int64 = 7200
            if take("/") {
                guard let time = offset() else { return nil }
                seconds = Int64(time)
            }
            return Transition(day: day, secondsIntoDay: seconds)
        }
    }
}
