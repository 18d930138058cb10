import Model
import Native

extension TenantFileDecoder {
    static let fieldKinds = RequestField.Kind.allCases.map { ($0.rawValue, $0) }

    /// `fields:` of the tenant or of one service: `name: {type, required, values, multiple, min,
    /// max, max_length, aliases}`.
    func decodeFields(_ map: MappingReader, service: String?) -> [RequestField] {
        var fields: [RequestField] = []
        for entry in map.entries {
            guard let name = reader.identifier(entry.keyNode, path: entry.path) else { continue }
            reader.index.declared.insert(entry.path)
            guard let member = reader.mapping(entry.value, path: entry.path) else { continue }
            if let earlier = declaredFields[name] {
                reader.error("the field \"\(name)\" is already declared at \(earlier.line):\(earlier.column); "
                             + "fields share one namespace across the tenant and its services", at: entry.keyNode, path: entry.path)
                _ = decodeField(member, name: name, service: service)  // its own problems are still reported
                continue
            }
            declaredFields[name] = entry.keyNode.location
            if let field = decodeField(member, name: name, service: service) { fields.append(field) }
        }
        return fields
    }

    private func decodeField(_ map: MappingReader, name: String, service: String?) -> RequestField? {
        let kindNode = map.required("type", what: RequestField.Kind.allCases.map(\.rawValue).joined(separator: ", "))
        let kind = kindNode.flatMap { reader.choice($0, path: join(map.path, "type"), from: Self.fieldKinds, what: "field type") }
        var field = RequestField(name: name, kind: kind ?? .string, service: service)
        field.isRequired = map.bool("required") ?? false
        if let values = map.value("values") {
            if kind == .enumeration {
                let items = reader.strings(values, path: join(map.path, "values")) ?? []
                for (offset, value) in items.enumerated() where reader.identifier(values.sequence?[offset] ?? values, path: "\(join(map.path, "values"))[\(offset)]") != nil {
                    if field.values.contains(value) {
                        reader.error("\"\(value)\" is listed twice", at: values.sequence?[offset] ?? values, path: join(map.path, "values"))
                    } else {
                        field.values.append(value)
                    }
                }
            } else {
                reader.error("only enum fields list values", at: map.keyLocation(of: "values") ?? map.keyLocation, path: join(map.path, "values"))
            }
        } else if kind == .enumeration {
            reader.error("an enum field needs its values: values: [small, medium, large]", at: map.keyLocation, path: map.path)
        }
        if let multiple = map.bool("multiple") {
            if kind != .enumeration, multiple {
                reader.error("only enum fields take several values", at: map.keyLocation(of: "multiple") ?? map.keyLocation, path: join(map.path, "multiple"))
            }
            field.isMultiple = multiple
        }
        for (key, isMinimum) in [("min", true), ("max", false)] {
            guard let node = map.value(key) else { continue }
            guard kind == .integer || kind == .decimal else {
                reader.error("only integer and decimal fields have a \(key)", at: map.keyLocation(of: key) ?? map.keyLocation, path: join(map.path, key))
                continue
            }
            let number: Double
            switch node.value {
            case .int(let value)?: number = Double(value)
            case .float(let value)?: number = value
            default:
                reader.error("expected a number, got \(node.kindDescription)", at: node, path: join(map.path, key))
                continue
            }
            if isMinimum { field.minimum = number } else { field.maximum = number }
        }
        if let low = field.minimum, let high = field.maximum, low > high {
            reader.error("min \(RequestField.format(low)) is above max \(RequestField.format(high))", at: map.keyLocation, path: map.path)
        }
        if let length = map.integer("max_length", in: 1...4096) {
            if kind == .string { field.maxLength = length } else {
                reader.error("only string fields have a max_length", at: map.keyLocation(of: "max_length") ?? map.keyLocation, path: join(map.path, "max_length"))
            }
        }
        if let node = map.value("aliases") { field.aliases = decodeAliases(node, field: field, path: join(map.path, "aliases")) }
        map.finish()
        return kind == nil ? nil : field
    }

    /// Enum fields map each value to the phrases that mean it; number fields list the words a
    /// number counts; boolean fields list the phrases that mean true.
    private func decodeAliases(_ node: YAMLNode, field: RequestField, path: String) -> [RequestField.Alias] {
        switch field.kind {
        case .enumeration:
            guard let map = reader.mapping(node, path: path) else { return [] }
            var aliases: [RequestField.Alias] = []
            for entry in map.entries {
                guard field.values.contains(entry.key) else {
                    reader.error("\"\(entry.key)\" is not a value of \(field.name)\(EditDistance.hint(for: entry.key, among: field.values)); "
                                 + "values: " + field.values.joined(separator: ", "), at: entry.keyNode, path: entry.path)
                    continue
                }
                let phrases = entry.value.sequence == nil ? reader.string(entry.value, path: entry.path).map { [$0] } ?? []
                    : reader.strings(entry.value, path: entry.path) ?? []
                aliases += phrases.map { RequestField.Alias(phrase: $0.lowercased(), value: entry.key) }
            }
            return aliases
        case .integer, .decimal, .boolean:
            return (reader.strings(node, path: path) ?? []).map { RequestField.Alias(phrase: $0.lowercased()) }
        default:
            reader.error("\(field.kind.rawValue) fields are not read from the customer's words; remove aliases", at: node, path: path)
            return []
        }
    }

    /// The keys this tenant's conditions may read: the catalogue's, its fields and its services.
    func makeConditionKeys(fields: [RequestField], services: [Service]) -> ConditionKeys {
        var types = AgentCatalog.conditionKeys
        for field in fields + services.flatMap(\.fields) { types["fields.\(field.name)"] = field.conditionType }
        if !services.isEmpty { types["service.id"] = .choice(services.map(\.id)) }
        return ConditionKeys(types: types, namespaces: AgentCatalog.conditionNamespaces, currency: currency)
    }

    /// A condition written as text, type-checked, with problems placed inside the YAML value.
    func condition(_ node: YAMLNode, path: String) -> ConditionExpression? {
        guard let text = reader.string(node, path: path) else { return nil }
        var parser = ConditionParser(keys: conditionKeys)
        do {
            return try parser.parse(text)
        } catch {
            let origin = TextOrigin(node: node, source: reader.source)
            reader.error(error.message, at: origin.locate(line: error.line, column: error.column), path: path)
            return nil
        }
    }
}
