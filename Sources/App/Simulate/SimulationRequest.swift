import Model
import Native

/// What `simulate` sends through the flow, from its command line.
struct SimulationRequest: Sendable {
    var channel: Channel = .api
    var text: String?
    var from = Interaction.Party()
    var service: String?
    var fields: JSONObject = [:]
    /// Unix ms the request arrives at: the clock every decision sees.
    var at: Int64?
    var approval: Bool?
    var replies: [String] = []
    var usedDefaultPhone = false

    static let defaultPhone = "+15555550123"

    func interaction(tenant: String, receivedAt: Int64) -> Interaction {
        Interaction(id: InteractionID(unixMillis: receivedAt, random: Crypto.randomBytes(10)), tenant: tenant, channel: channel,
                    receivedAt: receivedAt, from: from, text: text, service: service, fields: fields)
    }

    /// A `--field KEY=VALUE` (the value as text) or `--field KEY:=JSON` (the value parsed as JSON,
    /// for numbers, booleans, arrays and objects).
    static func field(_ text: String) throws(UsageError) -> (String, JSON) {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw UsageError("--field expects KEY=VALUE or KEY:=JSON, such as --field postal_code=78704; got '\(text)'")
        }
        let value = String(text[text.index(after: equals)...])
        var key = String(text[..<equals])
        guard key.hasSuffix(":") else { return (key, .string(value)) }
        key.removeLast()
        guard !key.isEmpty, let json = try? JSONParser.parse(Array(value.utf8), maxDepth: 16) else {
            throw UsageError("--field \(key):= expects JSON after :=, such as --field urgent:=true; got '\(value)'")
        }
        return (key, json)
    }

    /// `--at`: ISO 8601 with an offset (`2026-11-23T09:00:00-06:00`, `...Z`), or a local date and
    /// time in the tenant's zone (`2026-11-23T09:00`, `2026-11-23 09:00`).
    static func time(_ text: String, zone: TenantTimeZone) -> Int64? {
        if let millis = Timestamp.parseISO8601(text) { return millis }
        let parts = text.split(whereSeparator: { $0 == "T" || $0 == " " })
        guard parts.count == 2, let date = LocalDate.parse(String(parts[0])) else { return nil }
        let clock = parts[1].split(separator: ":")
        guard clock.count == 2 || clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]),
              (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
        let second = clock.count == 3 ? Int(clock[2]) ?? 0 : 0
        return (zone.unixSeconds(on: date, at: TimeOfDay(hour: hour, minute: minute)) + Int64(second)) * 1000
    }

    /// `Mon 2026-11-23 09:00 CST`.
    static func describe(_ millis: Int64, zone: TenantTimeZone) -> String {
        let seconds = millis / 1000
        let local = zone.localTime(atUnixSeconds: seconds)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let abbreviation = zone.abbreviation(atUnixSeconds: seconds) ?? zone.identifier
        return "\(days[local.weekday]) \(local.year)-\(two(local.month))-\(two(local.day)) \(two(local.hour)):\(two(local.minute)) \(abbreviation)"
    }
}
