/// A decision written in a tenant file, type-checked at load: `fields.bedrooms >= 4 and
/// customer.is_new`, `slot.weekday in [saturday, sunday]`, `customer.tags contains member`.
///
/// Evaluation reads each key once per test and never loops, so its cost is bounded by the
/// condition's length (the checker caps it). A test on a key the context does not have is false
/// (`not` of it is true); `is set` asks for presence itself.
public indirect enum Condition: Sendable, Hashable {
    case constant(Bool)
    case all([Condition])
    case any([Condition])
    case not(Condition)
    case test(ConditionTest)

    public func holds(in scope: some ConditionScope) -> Bool {
        switch self {
        case .constant(let value): return value
        case .all(let parts): return parts.allSatisfy { $0.holds(in: scope) }
        case .any(let parts): return parts.contains { $0.holds(in: scope) }
        case .not(let inner): return !inner.holds(in: scope)
        case .test(let test): return test.holds(in: scope)
        }
    }

    /// Every key the condition reads.
    public var keys: [ConditionKey] {
        switch self {
        case .constant: return []
        case .all(let parts), .any(let parts): return parts.flatMap(\.keys)
        case .not(let inner): return inner.keys
        case .test(let test):
            if case .compare(_, .key(let other)) = test.check { return [test.key, other] }
            return [test.key]
        }
    }
}

/// A key a condition reads, with the type the checker gave it.
public struct ConditionKey: Sendable, Hashable {
    public let path: String
    public let type: ConditionType
    /// The path split at its dots once, for reading the context without splitting it per test.
    public let components: [String]

    public init(path: String, type: ConditionType) {
        self.path = path
        self.type = type
        components = path.split(separator: ".").map(String.init)
    }
}

/// One test of one key.
public struct ConditionTest: Sendable, Hashable {
    public enum Comparison: String, Sendable, Hashable {
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    }

    public enum Operand: Sendable, Hashable {
        case value(ConditionValue)
        case key(ConditionKey)
    }

    public enum Check: Sendable, Hashable {
        case compare(Comparison, Operand)
        /// `in [a, b]`; negated for `not in`.
        case oneOf([ConditionValue], negated: Bool)
        /// A list key holds the name; a text key holds the words (whole words, any case).
        case contains(String)
        /// A time of day within any of the ranges (which may cross midnight).
        case within([TimeRange])
        case isSet(Bool)
        /// A bare true-or-false key.
        case isTrue
    }

    public var key: ConditionKey
    public var check: Check

    public init(key: ConditionKey, check: Check) {
        self.key = key
        self.check = check
    }

    func holds(in scope: some ConditionScope) -> Bool {
        let value = scope.value(of: key)
        switch check {
        case .isSet(let wanted): return (value != nil) == wanted
        case .isTrue: return value == .bool(true)
        case .oneOf(let values, let negated):
            guard let value else { return false }
            let found: Bool
            if case .list(let names) = value {
                found = values.contains { if case .text(let name) = $0 { names.contains(name) } else { false } }
            } else {
                found = values.contains { value.compare(to: $0) == 0 }
            }
            return found != negated
        case .contains(let wanted):
            switch value {
            case .list(let names)?: return names.contains(wanted)
            case .text?:
                return WordMatch.contains(scope.words(of: key) ?? [], phrase: WordMatch.words(of: wanted))
            default: return false
            }
        case .within(let ranges):
            guard case .time(let time)? = value else { return false }
            return ranges.contains { $0.contains(time) }
        case .compare(let comparison, let operand):
            guard let value else { return false }
            let other: ConditionValue
            switch operand {
            case .value(let literal): other = literal
            case .key(let key):
                guard let found = scope.value(of: key) else { return false }
                other = found
            }
            guard let order = value.compare(to: other) else { return comparison == .notEqual }
            switch comparison {
            case .equal: return order == 0
            case .notEqual: return order != 0
            case .less: return order < 0
            case .lessOrEqual: return order <= 0
            case .greater: return order > 0
            case .greaterOrEqual: return order >= 0
            }
        }
    }
}

/// A condition and the text it was written as, for the trace's reasons.
public struct ConditionExpression: Sendable, Hashable, CustomStringConvertible {
    public var source: String
    public var condition: Condition

    public init(source: String, condition: Condition) {
        self.source = source
        self.condition = condition
    }

    public func holds(in scope: some ConditionScope) -> Bool { condition.holds(in: scope) }

    public var description: String { source }

    public static func == (lhs: ConditionExpression, rhs: ConditionExpression) -> Bool { lhs.source == rhs.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }
}

/// Whole-word matching, case-insensitive: "asap" is in "come ASAP!", "right now" in "right now
/// please", "now" is not in "nowhere".
public enum WordMatch {
    public static func words(of text: some StringProtocol) -> [Substring] {
        String(text).lowercased().split { !($0.isLetter || $0.isNumber || $0 == "'") }
    }

    public static func contains(_ text: String, phrase: String) -> Bool {
        contains(words(of: text), phrase: words(of: phrase))
    }

    public static func contains(_ words: [Substring], phrase wanted: [Substring]) -> Bool {
        guard !wanted.isEmpty, wanted.count <= words.count else { return false }
        return (0...(words.count - wanted.count)).contains { start in
            (0..<wanted.count).allSatisfy { words[start + $0] == wanted[$0] }
        }
    }
}
