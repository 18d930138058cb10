import Model
import Native

extension TenantFileDecoder {
    /// A service's duration: 1m to 7d.
    func serviceDuration(_ node: YAMLNode, path: String) -> Duration? {
        guard let duration = reader.duration(node, path: path) else { return nil }
        guard duration >= .seconds(60), duration <= .seconds(7 * 86_400) else {
            reader.error("must be between 1m and 7d", at: node, path: path)
            return nil
        }
        return duration
    }

    /// `{by: field, table: {value: entry, ...}, default: entry}`: every value the field allows
    /// must have an entry (an integer field needs its min and max), unless `default` covers the rest.
    func decodeTable<Value: Sendable & Hashable>(_ node: YAMLNode, path: String, fields: [RequestField],
                            entry decode: (YAMLNode, String) -> Value?) -> FieldTable<Value>? {
        guard let map = reader.mapping(node, path: path) else { return nil }
        defer { map.finish() }
        guard let field = tableField(map, path: path, fields: fields, allowMultiple: false) else {
            _ = map.value("table"); _ = map.value("default")
            return nil
        }
        var entries: [String: Value] = [:]
        if let table = map.mapping("table", required: true) {
            for entry in table.entries {
                guard fieldAccepts(field, entry.key) else {
                    reader.error("\(field.name) never has the value \"\(entry.key)\"; it is \(field.expectation)", at: entry.keyNode, path: entry.path)
                    continue
                }
                if let value = decode(entry.value, entry.path) { entries[entry.key] = value }
            }
        }
        let fallback = map.value("default").flatMap { decode($0, join(path, "default")) }
        if fallback == nil, let keys = Self.allValues(of: field) {
            let missing = keys.filter { entries[$0] == nil }
            if !missing.isEmpty {
                reader.error("no entry for \(field.name) " + missing.prefix(8).joined(separator: ", ")
                             + (missing.count > 8 ? ", …" : "") + "; add them or give a default", at: map.keyLocation, path: join(path, "table"))
            }
        } else if fallback == nil {
            reader.error("\(field.name) has no min and max, so the table cannot list every value: give a default",
                         at: map.keyLocation, path: path)
        }
        return FieldTable(field: field.name, entries: entries, fallback: fallback)
    }

    /// `{field, prices: {value: amount}, minutes: {value: n}}` for an enum field, or `{field,
    /// each, minutes_each, included}` for a number field.
    func decodeAddOn(_ node: YAMLNode, path: String, fields: [RequestField]) -> AddOn? {
        guard let map = reader.mapping(node, path: path) else { return nil }
        defer { map.finish() }
        guard let field = tableField(map, path: path, fields: fields, key: "field", allowMultiple: true) else {
            for key in ["prices", "minutes", "each", "minutes_each", "included"] { _ = map.value(key) }
            return nil
        }
        var addOn = AddOn(field: field.name)
        if field.kind == .enumeration {
            for (key, isPrice) in [("prices", true), ("minutes", false)] {
                guard let table = map.mapping(key) else { continue }
                for entry in table.entries {
                    guard field.values.contains(entry.key) else {
                        reader.error("\"\(entry.key)\" is not a value of \(field.name)\(EditDistance.hint(for: entry.key, among: field.values))",
                                     at: entry.keyNode, path: entry.path)
                        continue
                    }
                    if isPrice {
                        addOn.prices[entry.key] = reader.money(entry.value, path: entry.path, currency: currency)
                    } else {
                        addOn.minutes[entry.key] = reader.integer(entry.value, path: entry.path, in: 0...1440)
                    }
                }
            }
            if addOn.prices.isEmpty && addOn.minutes.isEmpty {
                reader.error("an add-on on \(field.name) needs prices: or minutes: per value", at: map.keyLocation, path: path)
            }
        } else if field.kind == .integer {
            addOn.each = map.money("each", currency: currency)
            addOn.minutesEach = map.integer("minutes_each", in: 0...1440) ?? 0
            addOn.included = map.integer("included", in: 0...1000) ?? 0
            if addOn.each == nil && addOn.minutesEach == 0 {
                reader.error("an add-on on \(field.name) needs each: (an amount per unit) or minutes_each:", at: map.keyLocation, path: path)
            }
        } else {
            reader.error("add-ons are by an enum or integer field; \(field.name) is \(field.kind.rawValue)",
                         at: map.keyLocation(of: "field") ?? map.keyLocation, path: join(path, "field"))
        }
        return addOn
    }

    private func tableField(_ map: MappingReader, path: String, fields: [RequestField], key: String = "by",
                            allowMultiple: Bool) -> RequestField? {
        guard let node = map.required(key, what: "the request field it depends on"), let name = reader.string(node, path: join(path, key)) else {
            return nil
        }
        let bare = name.hasPrefix("fields.") ? String(name.dropFirst(7)) : name
        guard let field = fields.first(where: { $0.name == bare }) else {
            reader.error("no field \"\(bare)\" is declared for this service\(EditDistance.hint(for: bare, among: fields.map(\.name))); "
                         + "declare it under fields:", at: node, path: join(path, key))
            return nil
        }
        guard field.kind == .enumeration || field.kind == .integer, allowMultiple || !field.isMultiple else {
            reader.error("\(field.name) is \(field.expectation): tables are keyed by an enum or integer field with one value",
                         at: node, path: join(path, key))
            return nil
        }
        return field
    }

    private func fieldAccepts(_ field: RequestField, _ key: String) -> Bool {
        switch field.kind {
        case .enumeration: return field.values.contains(key)
        case .integer:
            guard let number = Int64(key) else { return false }
            return (field.minimum.map { Double(number) >= $0 } ?? true) && (field.maximum.map { Double(number) <= $0 } ?? true)
        default: return false
        }
    }

    /// Every value the field can take, when that is a short list.
    private static func allValues(of field: RequestField) -> [String]? {
        if field.kind == .enumeration { return field.values }
        guard let low = field.minimum, let high = field.maximum, high - low <= 1000 else { return nil }
        return stride(from: Int64(low.rounded(.up)), through: Int64(high.rounded(.down)), by: 1).map(String.init)
    }
}
