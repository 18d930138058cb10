/// The type of a context value a condition reads, known at load time from the agent catalogue,
/// the tenant's declared fields and its services.
public enum ConditionType: Sendable, Hashable, CustomStringConvertible {
    case text
    /// Integers and decimals.
    case number
    case bool
    /// An amount in the tenant's currency (minor units in the context); compared with decimals
    /// written in the currency: `price.total > 250`.
    case money
    /// A time of day in the tenant's zone: `slot.time >= 18:00`.
    case time
    case date
    case weekday
    /// One of a closed set of names: an enum field, `service.id`, `interaction.channel`.
    case choice([String])
    /// A list of names (`customer.tags`, a field with `multiple: true`); the allowed names when
    /// they are known.
    case list([String]?)

    public var description: String {
        switch self {
        case .text: return "text"
        case .number: return "a number"
        case .bool: return "true or false"
        case .money: return "an amount"
        case .time: return "a time of day"
        case .date: return "a date"
        case .weekday: return "a weekday"
        case .choice(let values): return "one of " + Self.list(values)
        case .list(let values?): return "a list of " + Self.list(values)
        case .list(nil): return "a list of names"
        }
    }

    static func list(_ values: [String]) -> String {
        values.count <= 12 ? values.joined(separator: ", ") : values.prefix(12).joined(separator: ", ") + ", …"
    }
}

/// The keys conditions may read and their types.
///
/// Exact keys come from `AgentCatalog.conditionKeys` plus what the tenant declares (its fields,
/// its service ids); a namespace (`event`, `http`) admits any key under it, as text.
public struct ConditionKeys: Sendable {
    public var types: [String: ConditionType]
    public var namespaces: [String: ConditionType]
    /// Amount literals are read in it.
    public var currency: Currency

    public init(types: [String: ConditionType], namespaces: [String: ConditionType] = [:], currency: Currency) {
        self.types = types
        self.namespaces = namespaces
        self.currency = currency
    }

    public func type(of path: String) -> ConditionType? {
        if let type = types[path] { return type }
        if let dot = path.firstIndex(of: "."), let type = namespaces[String(path[..<dot])] { return type }
        return nil
    }
}
