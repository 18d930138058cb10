/// A PostgreSQL connection URL (`postgres://user:password@host:port/database?options`).
///
/// Its `description` is the redacted form, so interpolating one into a log line or an error never
/// shows the password; `redact(_:)` scrubs it from text that came from elsewhere (libpq's
/// messages). Only `PQConnection` reads the full text.
public struct PostgresURL: Sendable, CustomStringConvertible {
    /// The URL as given, password included.
    let text: String
    /// The password as written in the URL (percent-encoded or not) and decoded; empty if none.
    private let secrets: [String]
    /// The URL with its password replaced by `***`.
    public let redacted: String

    /// True when `text` names a PostgreSQL database rather than a SQLite file.
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Nil when `text` is not a `postgres://` or `postgresql://` URL.
    public init?(_ text: String) {
        guard Self.isPostgres(text) else { return nil }
        self.text = text
        var secrets: [String] = []
        var redacted = text
        let schemeEnd = text.firstRange(of: "://")!.upperBound
        let authorityEnd = text[schemeEnd...].firstIndex { $0 == "/" || $0 == "?" } ?? text.endIndex
        let authority = text[schemeEnd..<authorityEnd]
        if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
            let password = String(authority[authority.index(after: colon)..<at])
            secrets.append(password)
            redacted = String(text[..<authority.index(after: colon)]) + "***" + String(text[at...])
        }
        // `password=` may also come as a query parameter.
        if let query = redacted.firstIndex(of: "?") {
            let parameters = redacted[redacted.index(after: query)...].split(separator: "&", omittingEmptySubsequences: false)
            let scrubbed = parameters.map { parameter -> String in
                guard parameter.hasPrefix("password=") else { return String(parameter) }
                secrets.append(String(parameter.dropFirst("password=".count)))
                return "password=***"
            }
            redacted = String(redacted[...query]) + scrubbed.joined(separator: "&")
        }
        self.secrets = secrets.flatMap { [$0, Self.percentDecoded($0)] }.filter { !$0.isEmpty }
        self.redacted = redacted
    }

    public var description: String { redacted }

    /// This URL with one more query parameter; `value` is taken as already percent-encoded.
    public func adding(parameter name: String, value: String) -> PostgresURL {
        PostgresURL(text + (text.contains("?") ? "&" : "?") + name + "=" + value)!
    }

    /// `message` with every occurrence of the password replaced by `***`. Passwords shorter
    /// than four characters are left alone: scrubbing them would garble ordinary words, and
    /// libpq's own messages never quote a password.
    public func redact(_ message: String) -> String {
        var result = message
        for secret in secrets where secret.count >= 4 {
            result = result.replacing(secret, with: "***")
        }
        return result
    }

    private static func percentDecoded(_ text: String) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
