/// Splits condition text into tokens, with the line and column (in Unicode scalars, 1-based)
/// where each starts.
struct ConditionLexer {
    enum Kind: Equatable {
        /// A key path (`fields.size`) or a bare word (`large`, `and`).
        case word(String)
        /// Text in single or double quotes.
        case quoted(String)
        /// Starts with a digit: a number, a time (`18:00`), a time range (`18:00-08:00`) or a date.
        case numeric(String)
        case symbol(String)
        case end
    }

    struct Token: Equatable {
        var kind: Kind
        var line: Int
        var column: Int
    }

    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var column = 1

    init(_ source: String) { scalars = Array(source.unicodeScalars) }

    mutating func tokens() throws(ConditionError) -> [Token] {
        var result: [Token] = []
        while true {
            skipSpaces()
            let (startLine, startColumn) = (line, column)
            guard index < scalars.count else {
                result.append(Token(kind: .end, line: startLine, column: startColumn))
                return result
            }
            let scalar = scalars[index]
            let kind: Kind
            if Self.isWordStart(scalar) {
                kind = .word(take { Self.isWordStart($0) || Self.isDigit($0) || $0 == "." })
            } else if Self.isDigit(scalar) {
                kind = .numeric(take { Self.isDigit($0) || $0 == "." || $0 == ":" || $0 == "-" })
            } else if scalar == "\"" || scalar == "'" {
                advance()
                let text = take { $0 != scalar }
                guard index < scalars.count else {
                    throw ConditionError("the quote \(scalar) is never closed", line: startLine, column: startColumn)
                }
                advance()
                kind = .quoted(text)
            } else if "()[],".unicodeScalars.contains(scalar) {
                advance()
                kind = .symbol(String(scalar))
            } else if "=!<>".unicodeScalars.contains(scalar) {
                advance()
                var symbol = String(scalar)
                if index < scalars.count, scalars[index] == "=" {
                    advance()
                    symbol.append("=")
                }
                if symbol == "=" {
                    throw ConditionError("`=` alone is not a comparison: write `==`", line: startLine, column: startColumn)
                }
                if symbol == "!" {
                    throw ConditionError("`!` alone is not an operator: write `not` or `!=`", line: startLine, column: startColumn)
                }
                kind = .symbol(symbol)
            } else {
                throw ConditionError("unexpected `\(scalar)`: conditions use key names, quoted text, numbers, "
                                     + "== != < <= > >=, in, contains, is set, and, or, not and parentheses",
                                     line: startLine, column: startColumn)
            }
            result.append(Token(kind: kind, line: startLine, column: startColumn))
        }
    }

    private static func isWordStart(_ scalar: Unicode.Scalar) -> Bool {
        (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || scalar == "_"
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar >= "0" && scalar <= "9" }

    private mutating func take(while predicate: (Unicode.Scalar) -> Bool) -> String {
        var text = String.UnicodeScalarView()
        while index < scalars.count, predicate(scalars[index]) {
            text.append(scalars[index])
            advance()
        }
        return String(text)
    }

    private mutating func advance() {
        if scalars[index] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    private mutating func skipSpaces() {
        while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" || scalars[index] == "\n" || scalars[index] == "\r" {
            advance()
        }
    }
}
