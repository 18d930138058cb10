/// A tenant's IANA time zone: converts between instants and local wall-clock time for hours,
/// slots, lead times and the dates and times in messages. The rules come from the operating
/// system's time zone database (`ZoneInfoDatabase`).
public struct TenantTimeZone: Sendable, Hashable, CustomStringConvertible {
    public let identifier: String
    private let rules: ZoneRules

    /// The zone named `identifier` (`Europe/London`), or nil when the IANA database has no such
    /// zone. Abbreviations such as `CST` are refused: they are ambiguous.
    public init?(identifier: String) {
        guard identifier == "UTC" || identifier.contains("/") else { return nil }
        if let rules = ZoneInfoDatabase.rules(for: identifier) {
            self.rules = rules
        } else if identifier == "UTC" {
            rules = .fixed(offsetSeconds: 0, abbreviation: "UTC")
        } else {
            return nil
        }
        self.identifier = identifier
    }

    public static let utc = TenantTimeZone(identifier: "UTC")!

    public var description: String { identifier }

    /// Every region name the database knows, for "did you mean" suggestions.
    public static let knownIdentifiers: [String] = ZoneInfoDatabase.identifiers.filter { $0.contains("/") }

    /// The offset from UTC in seconds at the instant `unixSeconds`.
    public func secondsFromGMT(atUnixSeconds unixSeconds: Int64) -> Int {
        rules.type(atUnixSeconds: unixSeconds).offsetSeconds
    }

    /// The local calendar fields at the instant `unixSeconds`.
    public func localTime(atUnixSeconds unixSeconds: Int64) -> Timestamp.Civil {
        Timestamp.civil(unixSeconds: unixSeconds + Int64(secondsFromGMT(atUnixSeconds: unixSeconds)))
    }

    /// The zone's abbreviation at that instant (`CST`, `BST`), when it has one; for zones whose
    /// database names are numbers (`-03`, `+0530`), the offset as `GMT-3` or `GMT+5:30`.
    public func abbreviation(atUnixSeconds unixSeconds: Int64) -> String? {
        let type = rules.type(atUnixSeconds: unixSeconds)
        guard let first = type.abbreviation.first, first == "+" || first == "-" else { return type.abbreviation }
        let minutes = abs(type.offsetSeconds) / 60
        let sign = type.offsetSeconds < 0 ? "-" : "+"
        return minutes % 60 == 0 ? "GMT\(sign)\(minutes / 60)" : "GMT\(sign)\(minutes / 60):\(minutes % 60 < 10 ? "0" : "")\(minutes % 60)"
    }

    /// The instant when the wall clock reads `time` on `date`. In a spring-forward gap the clock
    /// never shows, the result is the instant an hour later; in a fall-back overlap, the first.
    public func unixSeconds(on date: LocalDate, at time: TimeOfDay) -> Int64 {
        let local = date.daysSinceEpoch * 86_400 + Int64(time.minutes * 60)
        // Offsets change at most once in a day around any wall time: try the offset in force a
        // day before and a day after, and keep the candidates that show this wall time.
        let before = local - Int64(secondsFromGMT(atUnixSeconds: local - 86_400))
        let after = local - Int64(secondsFromGMT(atUnixSeconds: local + 86_400))
        let shows: (Int64) -> Bool = { $0 + Int64(self.secondsFromGMT(atUnixSeconds: $0)) == local }
        switch (shows(before), shows(after)) {
        case (true, true): return min(before, after)
        case (true, false): return before
        case (false, true): return after
        // A gap: the old offset lands the instant as far past the gap as the time was into it.
        case (false, false): return before
        }
    }

    public static func == (lhs: TenantTimeZone, rhs: TenantTimeZone) -> Bool { lhs.identifier == rhs.identifier }
    public func hash(into hasher: inout Hasher) { hasher.combine(identifier) }
}
