import Model
import Native

/// Reading provider answers: JSON bodies, `Retry-After`, and the usual error mapping.
enum ProviderAnswer {
    /// `base` and `path` joined with exactly one slash.
    static func join(_ base: String, _ path: String) -> String {
        var base = base
        while base.hasSuffix("/") { base.removeLast() }
        return path.hasPrefix("/") ? base + path : base + "/" + path
    }

    /// Seconds from a `Retry-After` value: delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
    static func retryAfterSeconds(_ value: String?) -> Double? {
        guard let value = value?.trimmingWhitespace(), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds >= 0 { return seconds }
        guard let date = parseHTTPDate(value) else { return nil }
        return Double(max(0, date - Clock.unixSeconds()))
    }

    /// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) to Unix seconds.
    static func parseHTTPDate(_ text: String) -> Int64? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let year = Int(parts[3]) else { return nil }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard let month = months.firstIndex(of: String(parts[2])) else { return nil }
        let clock = parts[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        let days = Timestamp.daysFromCivil(year: year, month: month + 1, day: day)
        return days * 86_400 + Int64(clock[0] * 3600 + clock[1] * 60 + clock[2])
    }

    /// RFC 2822 as Twilio writes it (`Mon, 07 Dec 2026 21:00:00 +0000`) to Unix seconds.
    static func parseRFC2822(_ text: String) -> Int64? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, let zone = Int(parts[5].dropFirst()), parts[5].count == 5, "+-".contains(parts[5].first!),
              let local = parseHTTPDate(parts[0..<5].joined(separator: " ") + " GMT") else { return nil }
        let offset = Int64((zone / 100) * 3600 + (zone % 100) * 60)
        return parts[5].first == "-" ? local + offset : local - offset
    }

    /// The error for a non-success `response`, from its status and what the body says.
    static func error(_ response: HTTPClient.Response, provider: String, operation: String, code: String?, message: String?,
                      kind: ProviderError.Kind? = nil, retryAfter: Double? = nil) -> ProviderError {
        let kind = kind ?? ProviderError.kind(forStatus: response.status)
        // RFC 9110 §10.2.3: Retry-After goes with 429 and with 503 (how long the service is down).
        let honoursRetryAfter = kind == .rateLimited || (kind == .retryable && response.status == 503)
        let text = message ?? (response.body.count <= 512 ? response.bodyText : "HTTP \(response.status)")
        return ProviderError(kind: kind, provider: provider, operation: operation, status: response.status, code: code,
                             message: text, retryAfterSeconds: honoursRetryAfter ? (retryAfter ?? retryAfterSeconds(response.header("Retry-After"))) : nil,
                             // A 429 is refused at the provider's door: none of these providers act on it.
                             mayHaveTakenEffect: response.status != 429)
    }

    /// The error for a 2xx answer whose body is not what the operation documents.
    static func malformed(_ response: HTTPClient.Response, provider: String, operation: String, expected: String) -> ProviderError {
        ProviderError(kind: .permanent, provider: provider, operation: operation, status: response.status, code: "malformed_response",
                      message: "the answer has no \(expected)")
    }

    /// A map of strings from a JSON object (non-strings in their JSON spelling).
    static func strings(_ json: JSON?) -> [String: String] {
        var out: [String: String] = [:]
        for member in json?.objectValue ?? JSONObject() where !member.value.isNull {
            out[member.key] = member.value.textValue
        }
        return out
    }

    static func object(_ map: [String: String]) -> JSON {
        .object(JSONObject(map.keys.sorted().map { (key: $0, value: JSON.string(map[$0]!)) }))
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
