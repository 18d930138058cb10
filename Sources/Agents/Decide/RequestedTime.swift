import Model

/// When the customer asked for: a window on the tenant's clock, read from an explicit field
/// (`fields.requested_time`, ISO 8601) or from words ("tomorrow morning", "Monday at 3pm",
/// "today after 5", "10am").
public struct RequestedTime: Sendable, Equatable {
    /// Unix seconds; the window is [start, end).
    public var start: Int64
    public var end: Int64
    /// Set when the customer named an exact time.
    public var exact: Int64?
    /// The words it was read from, for the trace.
    public var phrase: String

    static let dayWords = ["today": 0, "tonight": 0, "tomorrow": 1, "tmrw": 1, "tmr": 1]
    static let parts: [(String, TimeOfDay, TimeOfDay)] = [
        ("morning", TimeOfDay(hour: 7, minute: 0), TimeOfDay(hour: 12, minute: 0)),
        ("afternoon", TimeOfDay(hour: 12, minute: 0), TimeOfDay(hour: 17, minute: 0)),
        ("evening", TimeOfDay(hour: 17, minute: 0), TimeOfDay(hour: 21, minute: 0)),
        ("tonight", TimeOfDay(hour: 17, minute: 0), TimeOfDay(hour: 23, minute: 0)),
        ("noon", TimeOfDay(hour: 12, minute: 0), TimeOfDay(hour: 13, minute: 0)),
        ("lunchtime", TimeOfDay(hour: 11, minute: 30), TimeOfDay(hour: 13, minute: 30)),
    ]

    /// Reads a requested time from the interaction, relative to `now` (Unix ms) in `zone`.
    public static func find(fields: JSONObject, text: String?, now: Int64, zone: TenantTimeZone) -> RequestedTime? {
        if let explicit = fields["requested_time"]?.stringValue ?? fields["preferred_time"]?.stringValue,
           let millis = Timestamp.parseISO8601(explicit) {
            let seconds = millis / 1000
            return RequestedTime(start: seconds, end: seconds + 1, exact: seconds, phrase: explicit)
        }
        guard let text else { return nil }
        return parse(text, now: now, zone: zone)
    }

    public static func parse(_ text: String, now: Int64, zone: TenantTimeZone) -> RequestedTime? {
        let words = text.lowercased().split { !($0.isLetter || $0.isNumber || $0 == ":") }.map(String.init)
        guard !words.isEmpty else { return nil }
        let nowSeconds = now / 1000
        let local = zone.localTime(atUnixSeconds: nowSeconds)
        let today = LocalDate(year: local.year, month: local.month, day: local.day)

        var day: LocalDate?
        var phrase: [String] = []
        for word in words {
            if let offset = dayWords[word] {
                day = today.adding(days: offset)
                phrase.append(word)
            } else if let weekday = Weekday.named(word) {
                // The coming one: "monday" said on a Monday means a week today.
                let offset = (weekday.rawValue - today.weekday.rawValue + 7) % 7
                day = today.adding(days: offset == 0 ? 7 : offset)
                phrase.append(word)
            }
        }
        var window: (TimeOfDay, TimeOfDay)?
        for (name, from, to) in parts where words.contains(name) {
            window = (from, to)
            phrase.append(name)
            break
        }
        var exact: TimeOfDay?
        for (index, word) in words.enumerated() {
            let next = index + 1 < words.count ? words[index + 1] : ""
            if let time = clockTime(word, next: next) {
                exact = time
                phrase.append(word)
                // "after 5" / "before 10" make a window rather than an exact time.
                if index > 0, words[index - 1] == "after" {
                    window = (time, TimeOfDay(hour: 22, minute: 0))
                    exact = nil
                } else if index > 0, words[index - 1] == "before" {
                    window = (TimeOfDay(hour: 6, minute: 0), time)
                    exact = nil
                }
                break
            }
        }
        guard day != nil || window != nil || exact != nil else { return nil }
        var date = day ?? today
        // A bare time that has already passed today means tomorrow.
        if day == nil, let target = exact ?? window?.1, target.minutes <= local.hour * 60 + local.minute {
            date = today.adding(days: 1)
        }
        let phraseText = phrase.joined(separator: " ")
        if let exact {
            let instant = zone.unixSeconds(on: date, at: exact)
            return RequestedTime(start: instant, end: instant + 1, exact: instant, phrase: phraseText)
        }
        let (from, to) = window ?? (TimeOfDay(hour: 0, minute: 0), TimeOfDay(hour: 23, minute: 59))
        return RequestedTime(start: zone.unixSeconds(on: date, at: from), end: zone.unixSeconds(on: date, at: to),
                             exact: nil, phrase: phraseText)
    }

    /// `10am`, `3pm`, `3:30pm`, `15:00`, or `10` followed by `am`/`pm`.
    static func clockTime(_ word: String, next: String) -> TimeOfDay? {
        var text = word
        var meridiem: String?
        for suffix in ["am", "pm"] where text.hasSuffix(suffix) {
            meridiem = suffix
            text.removeLast(2)
        }
        if meridiem == nil, next == "am" || next == "pm" { meridiem = next }
        let pieces = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(pieces.count), let hour = Int(pieces[0]) else { return nil }
        let minute = pieces.count == 2 ? Int(pieces[1]) : 0
        guard let minute, (0..<60).contains(minute) else { return nil }
        if let meridiem {
            guard (1...12).contains(hour) else { return nil }
            let hour24 = meridiem == "am" ? (hour == 12 ? 0 : hour) : (hour == 12 ? 12 : hour + 12)
            return TimeOfDay(hour: hour24, minute: minute)
        }
        // Without am/pm only a 24-hour "15:00" is a time; a bare number is too ambiguous.
        guard pieces.count == 2, (0..<24).contains(hour) else { return nil }
        return TimeOfDay(hour: hour, minute: minute)
    }
}

extension LocalDate {
    func adding(days: Int) -> LocalDate {
        let (y, m, d) = Timestamp.civilFromDays(daysSinceEpoch + Int64(days))
        return LocalDate(year: y, month: m, day: d)
    }
}

extension Weekday {
    /// A weekday from its English name or common abbreviation (`mon`, `tues`, `thurs`).
    static func named(_ word: String) -> Weekday? {
        if let day = Weekday(name: word) { return day }
        let abbreviations: [String: Weekday] = [
            "sun": .sunday, "mon": .monday, "tue": .tuesday, "tues": .tuesday, "wed": .wednesday,
            "thu": .thursday, "thur": .thursday, "thurs": .thursday, "fri": .friday, "sat": .saturday,
        ]
        return abbreviations[word]
    }
}
