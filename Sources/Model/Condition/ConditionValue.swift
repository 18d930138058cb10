/// A typed value a condition compares: read from the context by a key's type, or written as a
/// literal and checked against that type at load time.
public enum ConditionValue: Sendable, Hashable, CustomStringConvertible {
    case text(String)
    case number(Double)
    case bool(Bool)
    /// Minor units.
    case money(Int64)
    case time(TimeOfDay)
    case date(LocalDate)
    case weekday(Weekday)
    case list([String])

    public var description: String {
        switch self {
        case .text(let text): return "\"\(text)\""
        case .number(let number):
            return number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool(let flag): return String(flag)
        case .money(let minor): return String(minor)
        case .time(let time): return time.description
        case .date(let date): return date.description
        case .weekday(let day): return day.name
        case .list(let names): return "[" + names.joined(separator: ", ") + "]"
        }
    }

    /// The order of two values of the same type; nil when they do not compare.
    func compare(to other: ConditionValue) -> Int? {
        func order<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a == b ? 0 : 1) }
        switch (self, other) {
        case (.number(let a), .number(let b)): return order(a, b)
        case (.money(let a), .money(let b)): return order(a, b)
        case (.time(let a), .time(let b)): return order(a, b)
        case (.date(let a), .date(let b)): return order(a, b)
        case (.text(let a), .text(let b)): return a == b ? 0 : nil
        case (.bool(let a), .bool(let b)): return a == b ? 0 : nil
        case (.weekday(let a), .weekday(let b)): return a == b ? 0 : nil
        default: return nil
        }
    }
}

/// Where a condition reads its values at run time.
public protocol ConditionScope {
    /// The value at `key`, as its type says; nil when the context does not have it.
    func value(of key: ConditionKey) -> ConditionValue?
    /// The lowercased words of the text at `key` (`contains` on text); a scope may keep them.
    func words(of key: ConditionKey) -> [Substring]?
}

extension ConditionScope {
    public func words(of key: ConditionKey) -> [Substring]? {
        guard case .text(let text)? = value(of: key) else { return nil }
        return WordMatch.words(of: text)
    }
}
