/// Parses and type-checks condition text against the keys a tenant's conditions may read.
///
/// ```
/// condition  := or
/// or         := and ("or" and)*
/// and        := unary ("and" unary)*
/// unary      := "not" unary | "(" or ")" | "true" | "false" | test
/// test       := key                                  (a true-or-false key)
///             | key ("==" | "!=" | "<" | "<=" | ">" | ">=") (literal | key)
///             | key ["not"] "in" "[" literal ("," literal)* "]"
///             | key "contains" literal
///             | key "is" ["not"] "set"
/// ```
/// Keys have a dot (`fields.size`); a bare word is a name literal (`large`, `saturday`).
public struct ConditionParser {
    /// Longer conditions belong in several rules.
    public static let maxLength = 2_000
    public static let maxTests = 64
    static let maxDepth = 16

    let keys: ConditionKeys
    var tokens: [ConditionLexer.Token] = []
    var position = 0
    var tests = 0
    var depth = 0

    public init(keys: ConditionKeys) { self.keys = keys }

    /// The typed condition `source` says.
    ///
    /// - Throws: `ConditionError` at the line and column inside `source`.
    public mutating func parse(_ source: String) throws(ConditionError) -> ConditionExpression {
        guard source.utf8.count <= Self.maxLength else {
            throw ConditionError("a condition may be at most \(Self.maxLength) characters; split it into several rules", line: 1, column: 1)
        }
        var lexer = ConditionLexer(source)
        tokens = try lexer.tokens()
        position = 0
        tests = 0
        depth = 0
        guard tokens.first?.kind != .end else { throw ConditionError("the condition is empty", line: 1, column: 1) }
        let condition = try parseOr()
        guard current.kind == .end else { throw unexpected("`and`, `or` or the end of the condition") }
        return ConditionExpression(source: source, condition: condition)
    }

    var current: ConditionLexer.Token { tokens[position] }

    mutating func advance() { if position < tokens.count - 1 { position += 1 } }

    private func isWord(_ word: String) -> Bool { current.kind == .word(word) }

    func error(_ message: String, at token: ConditionLexer.Token? = nil) -> ConditionError {
        let token = token ?? current
        return ConditionError(message, line: token.line, column: token.column)
    }

    func unexpected(_ wanted: String) -> ConditionError {
        error("expected \(wanted), found \(Self.describe(current.kind))")
    }

    static func describe(_ kind: ConditionLexer.Kind) -> String {
        switch kind {
        case .word(let word): return "`\(word)`"
        case .quoted(let text): return "\"\(text)\""
        case .numeric(let text): return "`\(text)`"
        case .symbol(let symbol): return "`\(symbol)`"
        case .end: return "the end of the condition"
        }
    }

    private mutating func parseOr() throws(ConditionError) -> Condition {
        var parts = [try parseAnd()]
        while isWord("or") {
            advance()
            parts.append(try parseAnd())
        }
        return parts.count == 1 ? parts[0] : .any(parts)
    }

    private mutating func parseAnd() throws(ConditionError) -> Condition {
        var parts = [try parseUnary()]
        while isWord("and") {
            advance()
            parts.append(try parseUnary())
        }
        return parts.count == 1 ? parts[0] : .all(parts)
    }

    private mutating func parseUnary() throws(ConditionError) -> Condition {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw error("the condition nests deeper than \(Self.maxDepth) levels") }
        switch current.kind {
        case .word("not"):
            advance()
            return .not(try parseUnary())
        case .symbol("("):
            advance()
            let inner = try parseOr()
            guard current.kind == .symbol(")") else { throw unexpected("`)`") }
            advance()
            return inner
        case .word("true"):
            advance()
            return .constant(true)
        case .word("false"):
            advance()
            return .constant(false)
        case .word(let word) where word.contains("."):
            return try parseTest()
        case .word(let word) where ["and", "or", "in", "contains", "is"].contains(word):
            throw unexpected("a key such as fields.size")
        case .word(let word):
            throw error("`\(word)` is not a key: keys name their namespace, as in fields.\(word) or customer.\(word)")
        default:
            throw unexpected("a key such as fields.size")
        }
    }

    private mutating func parseTest() throws(ConditionError) -> Condition {
        let keyToken = current
        let key = try resolveKey(keyToken)
        advance()
        tests += 1
        guard tests <= Self.maxTests else { throw error("a condition may test at most \(Self.maxTests) keys; split it", at: keyToken) }
        let operatorToken = current
        switch current.kind {
        case .symbol(let symbol) where ConditionTest.Comparison(rawValue: symbol) != nil:
            let comparison = ConditionTest.Comparison(rawValue: symbol)!
            advance()
            try checkComparable(key, comparison, at: operatorToken)
            if case .word(let word) = current.kind, word.contains(".") {
                let otherToken = current
                let other = try resolveKey(otherToken)
                guard Self.sameKind(key.type, other.type) else {
                    throw error("\(key.path) is \(key.type) and \(other.path) is \(other.type): they cannot be compared", at: otherToken)
                }
                advance()
                return .test(ConditionTest(key: key, check: .compare(comparison, .key(other))))
            }
            let value = try literal(for: key)
            return .test(ConditionTest(key: key, check: .compare(comparison, .value(value))))
        case .word("not"):
            advance()
            guard isWord("in") else { throw unexpected("`in` after `not` (or put `not` before the key)") }
            advance()
            return try membership(key, negated: true, at: operatorToken)
        case .word("in"):
            advance()
            return try membership(key, negated: false, at: operatorToken)
        case .word("contains"):
            advance()
            switch key.type {
            case .list(let allowed):
                let value = try literal(for: ConditionKey(path: key.path, type: allowed.map(ConditionType.choice) ?? .text))
                guard case .text(let name) = value else { throw error("expected a name") }
                return .test(ConditionTest(key: key, check: .contains(name)))
            case .text:
                guard case .text(let phrase) = try literal(for: key), !WordMatch.words(of: phrase).isEmpty else {
                    throw error("`contains` needs a word or phrase")
                }
                return .test(ConditionTest(key: key, check: .contains(phrase)))
            default:
                throw error("\(key.path) is \(key.type): `contains` is for lists and text", at: operatorToken)
            }
        case .word("is"):
            advance()
            var wanted = true
            if isWord("not") {
                wanted = false
                advance()
            }
            guard isWord("set") else { throw unexpected("`set` (as in `\(key.path) is set`)") }
            advance()
            return .test(ConditionTest(key: key, check: .isSet(wanted)))
        default:
            guard key.type == .bool else {
                throw error("\(key.path) is \(key.type), not true or false: compare it, as in \(Self.example(for: key))", at: keyToken)
            }
            return .test(ConditionTest(key: key, check: .isTrue))
        }
    }

    private mutating func membership(_ key: ConditionKey, negated: Bool, at token: ConditionLexer.Token) throws(ConditionError) -> Condition {
        guard current.kind == .symbol("[") else { throw unexpected("`[` starting a list, as in [a, b]") }
        advance()
        if case .time = key.type {
            var ranges: [TimeRange] = []
            repeat {
                if current.kind == .symbol(",") { advance() }
                guard case .numeric(let text) = current.kind, let range = TimeRange.parse(text) else {
                    throw unexpected("a time range like 18:00-08:00")
                }
                ranges.append(range)
                advance()
            } while current.kind == .symbol(",")
            guard current.kind == .symbol("]") else { throw unexpected("`,` or `]`") }
            advance()
            let test = Condition.test(ConditionTest(key: key, check: .within(ranges)))
            return negated ? .not(test) : test
        }
        let element: ConditionKey
        switch key.type {
        case .bool, .money, .date:
            throw error("\(key.path) is \(key.type): compare it with == or <, not `in`", at: token)
        case .list(let allowed): element = ConditionKey(path: key.path, type: allowed.map(ConditionType.choice) ?? .text)
        default: element = key
        }
        var values: [ConditionValue] = []
        repeat {
            if current.kind == .symbol(",") { advance() }
            values.append(try literal(for: element))
        } while current.kind == .symbol(",")
        guard current.kind == .symbol("]") else { throw unexpected("`,` or `]`") }
        advance()
        return .test(ConditionTest(key: key, check: .oneOf(values, negated: negated)))
    }

    private func resolveKey(_ token: ConditionLexer.Token) throws(ConditionError) -> ConditionKey {
        guard case .word(let path) = token.kind else { throw unexpected("a key") }
        guard let type = keys.type(of: path) else {
            var known = Array(keys.types.keys)
            known += keys.namespaces.keys.map { $0 + ".…" }
            let hint = EditDistance.hint(for: path, among: known)
            let namespace = path.split(separator: ".").first.map(String.init) ?? path
            let relatives = keys.types.keys.filter { $0.hasPrefix(namespace + ".") }.sorted()
            let listing = hint.isEmpty && !relatives.isEmpty ? "; \(namespace) has " + ConditionType.list(relatives) : ""
            let fieldsNote = namespace == "fields" && hint.isEmpty ? " (declare it under fields:)" : ""
            throw error("unknown key \(path)\(hint)\(listing)\(fieldsNote)", at: token)
        }
        return ConditionKey(path: path, type: type)
    }

    private func checkComparable(_ key: ConditionKey, _ comparison: ConditionTest.Comparison, at token: ConditionLexer.Token) throws(ConditionError) {
        switch key.type {
        case .number, .money, .time, .date: return
        case .list: throw error("\(key.path) is \(key.type): use `contains`, as in \(key.path) contains \(Self.sample(key.type))", at: token)
        default:
            if comparison != .equal && comparison != .notEqual {
                throw error("\(key.path) is \(key.type): it has no order; use == or != (or `in [...]`)", at: token)
            }
        }
    }
}
