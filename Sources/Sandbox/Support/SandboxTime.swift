import Model
import Native

/// Timestamps in the shapes the providers write them.
enum SandboxTime {
    static func unixSeconds() -> Int64 { Clock.unixSeconds() }

    /// `2026-11-22T09:30:00.000Z`
    static func isoNow() -> String { Timestamp.iso8601(millis: Clock.unixMillis()) }

    /// RFC 2822, as Twilio writes `date_created`: `Sat, 22 Nov 2026 09:30:00 +0000`.
    static func rfc2822(_ unixSeconds: Int64) -> String {
        Timestamp.httpDate(unixSeconds: unixSeconds).replacing(" GMT", with: " +0000")
    }
}
