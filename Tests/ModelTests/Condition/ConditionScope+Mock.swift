@testable import Model

/// Values by key path, as a test states them.
struct MockScope: ConditionScope {
    var values: [String: ConditionValue]

    init(_ values: [String: ConditionValue]) { self.values = values }

    func value(of key: ConditionKey) -> ConditionValue? { values[key.path] }
}

extension ConditionKeys {
    /// The catalogue's keys with a few fields and services of a cleaning business.
    static var cleaning: ConditionKeys {
        var types = AgentCatalog.conditionKeys
        types["fields.bedrooms"] = .number
        types["fields.size"] = .choice(["small", "medium", "large"])
        types["fields.extras"] = .list(["oven", "windows", "fridge"])
        types["fields.pets"] = .bool
        types["fields.move_date"] = .date
        types["service.id"] = .choice(["standard_clean", "deep_clean"])
        return ConditionKeys(types: types, namespaces: AgentCatalog.conditionNamespaces, currency: .usd)
    }
}

func condition(_ text: String, keys: ConditionKeys = .cleaning) throws(ConditionError) -> ConditionExpression {
    var parser = ConditionParser(keys: keys)
    return try parser.parse(text)
}

/// The error `text` is refused with, as `column: message` (line 1) or `line:column: message`.
func refusal(_ text: String, keys: ConditionKeys = .cleaning) -> String? {
    do {
        _ = try condition(text, keys: keys)
        return nil
    } catch {
        return error.line == 1 ? "\(error.column): \(error.message)" : error.description
    }
}
