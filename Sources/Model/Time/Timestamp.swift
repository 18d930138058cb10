/// UTC calendar arithmetic on Unix time, without Foundation (it runs on the logging and HTTP
/// `Date` paths). Tenants' zones are `TenantTimeZone`.
public enum Timestamp {
    public struct Civil: Sendable, Equatable {
        public var year: Int, month: Int, day: Int
        public var hour: Int, minute: Int, second: Int
        /// 0 = Sunday ... 6 = Saturday.
        public var weekday: Int
    }

    /// Splits Unix seconds into UTC calendar fields (proleptic Gregorian).
    public static func civil(unixSeconds: Int64) -> Civil {
        let days = unixSeconds >= 0 ? unixSeconds / 86_400 : (unixSeconds - 86_399) / 86_400
        let secondsOfDay = Int(unixSeconds - days * 86_400)
        let (year, month, day) = civilFromDays(days)
        // 1970-01-01 was a Thursday.
        let weekday = Int(((days % 7) + 11) % 7)
        return Civil(year: year, month: month, day: day,
                     hour: secondsOfDay / 3600, minute: secondsOfDay / 60 % 60, second: secondsOfDay % 60,
                     weekday: weekday)
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func civilFromDays(_ days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = Int(doy - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        let year = Int(yoe + era * 400) + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// `2026-11-22T09:30:00.123Z`
    public static func iso8601(millis: Int64) -> String {
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        let ms = Int(millis - seconds * 1000)
        return format(civil(unixSeconds: seconds), fraction: ms, offsetMinutes: 0)
    }

    /// `2026-11-22T09:30:00Z`
    public static func iso8601(seconds: Int64) -> String {
        format(civil(unixSeconds: seconds), fraction: nil, offsetMinutes: 0)
    }

    /// `2026-11-22`: the UTC day.
    public static func day(unixMillis: Int64) -> String {
        String(iso8601(millis: unixMillis).prefix(10))
    }

    /// `2026-11-22T10:30:00.000+01:00`: the local time at `offsetSeconds` east of UTC, with the
    /// offset (`Z` when it is zero).
    public static func iso8601(millis: Int64, offsetSeconds: Int64) -> String {
        let local = millis + offsetSeconds * 1000
        let seconds = local >= 0 ? local / 1000 : (local - 999) / 1000
        return format(civil(unixSeconds: seconds), fraction: Int(local - seconds * 1000), offsetMinutes: Int(offsetSeconds / 60))
    }

    /// Formats into one exactly sized buffer: this runs for every timestamp in every trace, log
    /// line and provider payload, where interpolating padded pieces cost a dozen allocations.
    private static func format(_ c: Civil, fraction: Int?, offsetMinutes: Int) -> String {
        let year = min(max(c.year, 0), 9999)
        let length = 19 + (fraction == nil ? 0 : 4) + (offsetMinutes == 0 ? 1 : 6)
        return String(unsafeUninitializedCapacity: length) { buffer in
            var i = 0
            func put(_ value: Int, _ width: Int) {
                var value = value
                var j = i + width - 1
                while j >= i {
                    buffer[j] = UInt8(truncatingIfNeeded: 48 + value % 10)
                    value /= 10
                    j -= 1
                }
                i += width
            }
            func put(byte: UInt8) {
                buffer[i] = byte
                i += 1
            }
            put(year, 4); put(byte: 45); put(c.month, 2); put(byte: 45); put(c.day, 2); put(byte: 84)
            put(c.hour, 2); put(byte: 58); put(c.minute, 2); put(byte: 58); put(c.second, 2)
            if let fraction { put(byte: 46); put(fraction, 3) }
            if offsetMinutes == 0 {
                put(byte: 90)
            } else {
                put(byte: offsetMinutes < 0 ? 45 : 43)
                put(abs(offsetMinutes) / 60, 2); put(byte: 58); put(abs(offsetMinutes) % 60, 2)
            }
            return i
        }
    }

    /// Parses RFC 3339 / ISO 8601 date-times with a `Z` or `±hh:mm` offset and optional fraction,
    /// returning Unix milliseconds.
    public static func parseISO8601(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { parseISO8601(bytes: $0) }
    }

    private static func parseISO8601(bytes b: UnsafeBufferPointer<UInt8>) -> Int64? {
        func digits(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= b.count else { return nil }
            var value = 0
            for i in start..<(start + count) {
                guard b[i] >= 48 && b[i] <= 57 else { return nil }
                value = value * 10 + Int(b[i] - 48)
            }
            return value
        }
        guard b.count >= 20, let year = digits(0, 4), b[4] == 45, let month = digits(5, 2), b[7] == 45,
              let day = digits(8, 2), b[10] == 84 || b[10] == 116 || b[10] == 32,
              let hour = digits(11, 2), b[13] == 58, let minute = digits(14, 2), b[16] == 58,
              let second = digits(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var millis = 0
        if index < b.count, b[index] == 46 {
            index += 1
            var scale = 100
            let start = index
            while index < b.count, b[index] >= 48, b[index] <= 57 {
                millis += Int(b[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        guard index < b.count else { return nil }
        var offsetSeconds = 0
        if b[index] == 90 || b[index] == 122 {
            index += 1
        } else if b[index] == 43 || b[index] == 45 {
            guard let oh = digits(index + 1, 2), index + 3 < b.count, b[index + 3] == 58, let om = digits(index + 4, 2)
            else { return nil }
            offsetSeconds = (oh * 3600 + om * 60) * (b[index] == 45 ? -1 : 1)
            index += 6
        } else {
            return nil
        }
        guard index == b.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        return seconds * 1000 + Int64(millis)
    }

    private static let weekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// RFC 9110 IMF-fixdate for the HTTP `Date` header: `Sun, 22 Nov 2026 09:30:00 GMT`.
    public static func httpDate(unixSeconds: Int64) -> String {
        let c = civil(unixSeconds: unixSeconds)
        return "\(weekdayNames[c.weekday]), \(pad(c.day, 2)) \(monthNames[c.month - 1]) \(pad(c.year, 4)) \(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2)) GMT"
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
