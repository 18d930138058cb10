import Model

/// Time-zone arithmetic for the simulated Cal.com (IANA zones from the system's database):
/// local wall times to instants and back, and Cal.com's timestamp format.
enum CalComCalendar {
    static func isKnownZone(_ identifier: String) -> Bool { zone(identifier) != nil }

    static func zone(_ identifier: String) -> TenantTimeZone? {
        TenantTimeZone(identifier: identifier == "GMT" ? "UTC" : identifier)
    }

    /// Seconds east of UTC in `zone` at the instant `unixSeconds`.
    static func offset(_ zone: TenantTimeZone, at unixSeconds: Int64) -> Int64 {
        Int64(zone.secondsFromGMT(atUnixSeconds: unixSeconds))
    }

    /// The instant of a local wall-clock time (seconds since the epoch as if the zone were UTC).
    static func instant(localSeconds: Int64, in zone: TenantTimeZone) -> Int64 {
        let guess = localSeconds - offset(zone, at: localSeconds)
        return localSeconds - offset(zone, at: guess)
    }

    /// `2050-09-05T09:00:00.000+02:00`, or `…Z` in UTC.
    static func format(unixSeconds: Int64, in zone: TenantTimeZone) -> String {
        format(unixSeconds: unixSeconds, offset: offset(zone, at: unixSeconds))
    }

    /// The local date (`2050-09-05`) of an instant in `zone`.
    static func localDate(unixSeconds: Int64, in zone: TenantTimeZone) -> String {
        String(Timestamp.iso8601(seconds: unixSeconds + offset(zone, at: unixSeconds)).prefix(10))
    }

    /// An ISO-8601 instant, or a date (`2050-09-05`) taken as the start of that day in `zone`
    /// (or the end of it, for a range's end).
    static func parse(_ text: String, in zone: TenantTimeZone, endOfDay: Bool = false) -> Int64? {
        if let millis = Timestamp.parseISO8601(text) { return millis / 1000 }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard text.count == 10, parts.count == 3 else { return nil }
        let days = Timestamp.daysFromCivil(year: parts[0], month: parts[1], day: parts[2])
        let local = days * 86_400 + (endOfDay ? 86_400 : 0)
        return instant(localSeconds: local, in: zone)
    }

    /// `2050-09-05T09:00:00.000+02:00` for a known offset.
    static func format(unixSeconds: Int64, offset: Int64) -> String {
        Timestamp.iso8601(millis: unixSeconds * 1000, offsetSeconds: offset)
    }
}
