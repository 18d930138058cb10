import FoundationEssentials
// FoundationEssentials alone resolves only fixed GMT offsets on Linux; the IANA database
// (America/Chicago, Europe/London) comes with the ICU-backed FoundationInternationalization.
import FoundationInternationalization

/// A tenant's IANA time zone: converts between instants and local wall-clock time for hours,
/// slots, lead times and the dates and times in messages.
public struct TenantTimeZone: Sendable, Hashable, CustomStringConvertible {
    public let identifier: String
    private let zone: TimeZone

    /// The zone named `identifier` (`Europe/London`), or nil when the IANA database has no such
    /// zone. Abbreviations such as `CST` are refused: they are ambiguous.
    public init?(identifier: String) {
        guard identifier == "UTC" || identifier.contains("/"), let zone = TimeZone(identifier: identifier) else { return nil }
        self.identifier = identifier
        self.zone = zone
    }

    public static let utc = TenantTimeZone(identifier: "UTC")!

    public var description: String { identifier }

    /// Every region name the database knows, for "did you mean" suggestions.
    public static var knownIdentifiers: [String] { TimeZone.knownTimeZoneIdentifiers.filter { $0.contains("/") } }

    /// The offset from UTC in seconds at the instant `unixSeconds`.
    public func secondsFromGMT(atUnixSeconds unixSeconds: Int64) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(unixSeconds)))
    }

    /// The local calendar fields at the instant `unixSeconds`.
    public func localTime(atUnixSeconds unixSeconds: Int64) -> Timestamp.Civil {
        Timestamp.civil(unixSeconds: unixSeconds + Int64(secondsFromGMT(atUnixSeconds: unixSeconds)))
    }

    /// The zone's abbreviation at that instant (`CST`, `BST`), when it has one.
    public func abbreviation(atUnixSeconds unixSeconds: Int64) -> String? {
        let date = Date(timeIntervalSince1970: Double(unixSeconds))
        let style: TimeZone.NameStyle = zone.isDaylightSavingTime(for: date) ? .shortDaylightSaving : .shortStandard
        // ICU knows the familiar abbreviations (CDT, BST, AEST) only in the locales that use
        // them; elsewhere it answers with an offset such as GMT-5, which is the fallback.
        for locale in ["en_US", "en_GB", "en_AU", "en_CA", "en_NZ", "en_IE", "en_ZA"] {
            if let name = zone.localizedName(for: style, locale: Locale(identifier: locale)), !name.hasPrefix("GMT") || name == "GMT" {
                return name
            }
        }
        return zone.abbreviation(for: date)
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
