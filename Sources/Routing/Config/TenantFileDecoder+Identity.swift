import Model
import Native

extension TenantFileDecoder {
    func decodeIdentity(_ map: MappingReader) -> TenantIdentity {
        var identity = Self.placeholderIdentity
        if let node = map.required("id") {
            if let text = reader.string(node, path: "tenant.id") {
                if TenantID.isValid(text) {
                    identity.id = TenantID(text)
                } else {
                    reader.error("\"\(text)\" is not a valid tenant id: use 2 to 63 lowercase letters, digits and -", at: node, path: "tenant.id")
                }
            }
        }
        identity.name = map.string("name", required: true) ?? ""
        if let node = map.value("phone"), let phone = reader.string(node, path: "tenant.phone") {
            identity.phone = checkedPhone(phone, node: node, path: "tenant.phone")
        }
        if let node = map.required("time_zone"), let name = reader.string(node, path: "tenant.time_zone") {
            if let zone = TenantTimeZone(identifier: name) {
                identity.timeZone = zone
            } else {
                let hint = EditDistance.hint(for: name, among: TenantTimeZone.knownIdentifiers)
                reader.error("unknown time zone \"\(name)\"\(hint); use an IANA name such as America/Chicago or Europe/London",
                             at: node, path: "tenant.time_zone")
            }
        }
        if let node = map.required("currency"), let code = reader.string(node, path: "tenant.currency") {
            if let currency = Currency(code: code) {
                identity.currency = currency
                self.currency = currency
            } else {
                let hint = EditDistance.hint(for: code.uppercased(), among: Currency.known.map(\.code))
                reader.error("unknown currency \"\(code)\"\(hint); use an ISO 4217 code: "
                             + Currency.known.map(\.code).joined(separator: ", "), at: node, path: "tenant.currency")
            }
        }
        if let hours = map.mapping("hours") { identity.hours.ranges = decodeHours(hours) }
        if let node = map.value("closed_dates"), let items = reader.list(node, path: "tenant.closed_dates") {
            for (offset, item) in items.enumerated() {
                let path = "tenant.closed_dates[\(offset)]"
                guard let text = reader.string(item, path: path) else { continue }
                if let date = LocalDate.parse(text) {
                    identity.hours.closedDates.insert(date)
                } else {
                    reader.error("expected a date like 2026-12-25, got \"\(text)\"", at: item, path: path)
                }
            }
        }
        if let formats = map.mapping("formats") {
            if let pattern = datePattern(formats, "date") { identity.datePattern = pattern }
            if let pattern = datePattern(formats, "time") { identity.timePattern = pattern }
            formats.finish()
        }
        map.finish()
        return identity
    }

    private func datePattern(_ map: MappingReader, _ key: String) -> DatePattern? {
        guard let node = map.value(key), let text = reader.string(node, path: join(map.path, key)) else { return nil }
        guard let pattern = DatePattern.parse(text) else {
            reader.error("\"\(text)\" is not a date pattern (letters: yyyy MMM MM dd d EEE EEEE HH H hh h mm a z; quote text as 'at')",
                         at: node, path: join(map.path, key))
            return nil
        }
        return pattern
    }

    func decodeHours(_ map: MappingReader) -> [Weekday: [TimeRange]] {
        var ranges: [Weekday: [TimeRange]] = [:]
        for day in Weekday.allCases {
            let path = join(map.path, day.name)
            guard let node = map.value(day.name) else { continue }
            let items: [YAMLNode]
            if node.sequence != nil { items = reader.list(node, path: path) ?? [] } else { items = [node] }
            var dayRanges: [TimeRange] = []
            for item in items {
                guard let text = reader.string(item, path: path) else { continue }
                if text == "closed" { continue }
                guard let range = TimeRange.parse(text), !range.crossesMidnight else {
                    reader.error("expected opening hours like 08:00-18:00 (24-hour, same day) or closed, got \"\(text)\"", at: item, path: path)
                    continue
                }
                if let overlap = dayRanges.first(where: { $0.start < range.end && range.start < $0.end }) {
                    reader.error("\(range) overlaps \(overlap)", at: item, path: path)
                    continue
                }
                dayRanges.append(range)
            }
            ranges[day] = dayRanges.sorted { $0.start < $1.start }
        }
        map.finish()
        return ranges
    }

    /// E.164: `+` then 7 to 15 digits, the first not 0.
    func checkedPhone(_ text: String, node: YAMLNode, path: String) -> String? {
        let digits = text.dropFirst()
        guard text.hasPrefix("+"), (7...15).contains(digits.count), digits.first != "0",
              digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            reader.error("expected a phone number in E.164 form like +15125550100, got \"\(text)\"", at: node, path: path)
            return nil
        }
        return text
    }
}
