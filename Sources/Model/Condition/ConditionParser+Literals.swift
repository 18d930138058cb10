extension ConditionParser {
    /// The literal at the cursor, as `key`'s type reads it.
    mutating func literal(for key: ConditionKey) throws(ConditionError) -> ConditionValue {
        let token = current
        func mismatch(_ found: String) -> ConditionError {
            ConditionError("\(key.path) is \(key.type); \(found) is not (write it as in \(Self.example(for: key)))",
                           line: token.line, column: token.column)
        }
        let value: ConditionValue
        switch (key.type, token.kind) {
        case (.text, .quoted(let text)):
            value = .text(text)
        case (.text, .word(let text)) where !text.contains("."):
            value = .text(text)
        case (.choice(let allowed), .quoted(let text)), (.choice(let allowed), .word(let text)):
            guard allowed.contains(text) else {
                throw error("\(key.path) is \(key.type); \"\(text)\" is not one of them\(EditDistance.hint(for: text, among: allowed))", at: token)
            }
            value = .text(text)
        case (.bool, .word("true")): value = .bool(true)
        case (.bool, .word("false")): value = .bool(false)
        case (.number, .numeric(let text)):
            guard let number = Double(text) else { throw mismatch("`\(text)`") }
            value = .number(number)
        case (.money, .numeric(let text)):
            switch Money.parse(text, currency: keys.currency) {
            case .success(let money): value = .money(money.minorUnits)
            case .failure(.tooManyDecimals(let allowed)):
                throw error("\(text) has more decimals than \(keys.currency.code) allows (\(allowed))", at: token)
            case .failure: throw mismatch("`\(text)`")
            }
        case (.time, .numeric(let text)):
            guard let time = TimeOfDay.parse(text) else { throw mismatch("`\(text)`") }
            value = .time(time)
        case (.date, .numeric(let text)):
            guard let date = LocalDate.parse(text) else { throw mismatch("`\(text)`") }
            value = .date(date)
        case (.weekday, .word(let text)), (.weekday, .quoted(let text)):
            guard let day = Weekday(name: text) else {
                throw error("\"\(text)\" is not a weekday\(EditDistance.hint(for: text, among: Weekday.allCases.map(\.name))); "
                            + "write monday … sunday", at: token)
            }
            value = .weekday(day)
        case (_, .end), (_, .symbol):
            throw unexpected("a value for \(key.path) (\(key.type))")
        default:
            throw mismatch(Self.describe(token.kind))
        }
        advance()
        return value
    }

    static func sameKind(_ a: ConditionType, _ b: ConditionType) -> Bool {
        switch (a, b) {
        case (.choice, .choice), (.choice, .text), (.text, .choice), (.list, .list): return true
        default: return a == b
        }
    }

    static func sample(_ type: ConditionType) -> String {
        switch type {
        case .text: return "\"words\""
        case .number: return "3"
        case .bool: return "true"
        case .money: return "250.00"
        case .time: return "18:00"
        case .date: return "2026-12-24"
        case .weekday: return "saturday"
        case .choice(let values): return values.first ?? "name"
        case .list(let values): return values?.first ?? "name"
        }
    }

    static func example(for key: ConditionKey) -> String {
        switch key.type {
        case .list: return "\(key.path) contains \(sample(key.type))"
        case .bool: return key.path
        case .number, .money, .time, .date: return "\(key.path) >= \(sample(key.type))"
        default: return "\(key.path) == \(sample(key.type))"
        }
    }
}
