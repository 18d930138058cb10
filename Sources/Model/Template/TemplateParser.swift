/// Splits template text into literal text and `{{ path | formatter: argument }}` expressions.
/// Works on UTF-8 bytes; lines and columns count Unicode scalars, as YAML positions do.
struct TemplateParser {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var column = 1

    init(_ source: String) { bytes = Array(source.utf8) }

    private static let open = UInt8(ascii: "{"), close = UInt8(ascii: "}")

    mutating func parse() throws(TemplateError) -> [Template.Segment] {
        let (segments, end) = try parseBlock(depth: 0)
        if let end {
            throw TemplateError("`{{\(end.tag.rawValue)}}` without an `{{#if …}}` before it", line: end.line, column: end.column)
        }
        return segments
    }

    /// The tags that open, split and close a conditional part.
    private enum BlockTag: String {
        case open = "#if", otherwise = "else", close = "/if"
    }

    private static let maxNesting = 8

    /// Segments up to the end of the text or to an `{{else}}` or `{{/if}}` (returned, consumed).
    private mutating func parseBlock(depth: Int) throws(TemplateError) -> ([Template.Segment], (tag: BlockTag, line: Int, column: Int)?) {
        var segments: [Template.Segment] = []
        var textStart = index
        while index < bytes.count {
            if bytes[index] == Self.open && peek(1) == Self.open {
                if index > textStart { segments.append(.text(text(textStart..<index))) }
                let (tagLine, tagColumn) = (line, column)
                switch blockTag() {
                case .open?:
                    guard depth < Self.maxNesting else { throw error("`{{#if}}` nests deeper than \(Self.maxNesting) levels") }
                    segments.append(.conditional(try parseConditional(depth: depth, line: tagLine, column: tagColumn)))
                case let tag?:
                    skipTag()
                    return (segments, (tag, tagLine, tagColumn))
                case nil:
                    segments.append(.expression(try parseExpression()))
                }
                textStart = index
            } else {
                advance()
            }
        }
        if index > textStart { segments.append(.text(text(textStart..<index))) }
        return (segments, nil)
    }

    /// The block tag starting at the cursor (`{{#if`, `{{else}}`, `{{/if}}`), without moving.
    private func blockTag() -> BlockTag? {
        var probe = index + 2
        while probe < bytes.count, bytes[probe] == UInt8(ascii: " ") { probe += 1 }
        for tag in [BlockTag.open, .otherwise, .close] {
            let word = Array(tag.rawValue.utf8)
            guard probe + word.count <= bytes.count, Array(bytes[probe..<(probe + word.count)]) == word else { continue }
            let after = probe + word.count < bytes.count ? bytes[probe + word.count] : 0
            if !Self.isName(after) { return tag }
        }
        return nil
    }

    /// Moves past `}}` (the tag is known to be one).
    private mutating func skipTag() {
        while index < bytes.count, !(bytes[index] == Self.close && peek(1) == Self.close) { advance() }
        if index < bytes.count { advance(); advance() }
    }

    private mutating func parseConditional(depth: Int, line openLine: Int, column openColumn: Int) throws(TemplateError) -> Template.Conditional {
        advance(); advance()
        skipSpaces()
        for _ in 0..<3 { advance() }  // "#if"
        skipSpaces()
        let (conditionLine, conditionColumn) = (line, column)
        let start = index
        while index < bytes.count, !(bytes[index] == Self.close && peek(1) == Self.close) { advance() }
        guard index < bytes.count else {
            throw TemplateError("`{{#if` is never closed: end the condition with `}}`", line: openLine, column: openColumn)
        }
        var end = index
        while end > start, bytes[end - 1] == UInt8(ascii: " ") { end -= 1 }
        let source = text(start..<end)
        guard !source.isEmpty else { throw TemplateError("`{{#if}}` needs a condition, as in {{#if customer.is_new}}", line: openLine, column: openColumn) }
        advance(); advance()
        let unclosed = TemplateError("`{{#if \(source)}}` is never closed: end it with `{{/if}}`", line: openLine, column: openColumn)
        let (then, first) = try parseBlock(depth: depth + 1)
        guard let first else { throw unclosed }
        var otherwise: [Template.Segment] = []
        if first.tag == .otherwise {
            let (segments, second) = try parseBlock(depth: depth + 1)
            guard let second else { throw unclosed }
            guard second.tag == .close else {
                throw TemplateError("a second `{{\(second.tag.rawValue)}}` in one `{{#if}}`: close it with `{{/if}}` first",
                                    line: second.line, column: second.column)
            }
            otherwise = segments
        } else if first.tag == .open {
            throw unclosed
        }
        return Template.Conditional(source: source, line: conditionLine, column: conditionColumn, condition: nil, then: then, otherwise: otherwise)
    }

    private func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    private func peek(_ offset: Int) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    private mutating func advance() {
        let byte = bytes[index]
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
        index += 1
    }

    private mutating func skipSpaces() {
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { advance() }
    }

    private func error(_ message: String) -> TemplateError { TemplateError(message, line: line, column: column) }

    /// The character at the cursor, for messages.
    private var current: String {
        guard index < bytes.count else { return "" }
        var end = index + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return text(index..<end)
    }

    private mutating func parseExpression() throws(TemplateError) -> Template.Expression {
        let (openLine, openColumn) = (line, column)
        let unclosed = TemplateError("`{{` is never closed: end the variable with `}}`", line: openLine, column: openColumn)
        advance(); advance()
        // Find the closing braces first, so an unclosed expression is reported where it opens.
        var probe = index
        while probe + 1 < bytes.count, !(bytes[probe] == Self.close && bytes[probe + 1] == Self.close) { probe += 1 }
        guard probe + 1 < bytes.count else { throw unclosed }
        skipSpaces()
        let (pathLine, pathColumn) = (line, column)
        let path = try parsePath()
        var filters: [Template.Filter] = []
        skipSpaces()
        while index < bytes.count, bytes[index] == UInt8(ascii: "|") {
            advance()
            skipSpaces()
            filters.append(try parseFilter())
            skipSpaces()
        }
        guard index < bytes.count else { throw unclosed }
        guard bytes[index] == Self.close && peek(1) == Self.close else {
            throw error("unexpected `\(current)` in a variable: write `{{path.to.value}}` or `{{value | formatter}}`")
        }
        advance(); advance()
        return Template.Expression(path: path, filters: filters, line: pathLine, column: pathColumn)
    }

    private static func isName(_ byte: UInt8) -> Bool {
        (byte >= 97 && byte <= 122) || (byte >= 65 && byte <= 90) || (byte >= 48 && byte <= 57) || byte == UInt8(ascii: "_")
    }

    private mutating func name() -> String {
        let start = index
        while index < bytes.count, Self.isName(bytes[index]) { advance() }
        return text(start..<index)
    }

    private mutating func parsePath() throws(TemplateError) -> String {
        var path = ""
        while true {
            let component = name()
            guard !component.isEmpty else {
                if index < bytes.count, bytes[index] == Self.close {
                    throw error(path.isEmpty ? "empty variable `{{}}`: name a value such as `{{customer.name}}`"
                                             : "a variable cannot end with `.`")
                }
                throw error("expected a variable name like `customer.name`, found `\(current)`")
            }
            path += component
            guard index < bytes.count, bytes[index] == UInt8(ascii: ".") else { return path }
            path.append(".")
            advance()
        }
    }

    private mutating func parseFilter() throws(TemplateError) -> Template.Filter {
        let (nameLine, nameColumn) = (line, column)
        let formatterName = name()
        guard !formatterName.isEmpty else { throw error("expected a formatter name after `|`") }
        guard let formatter = TemplateFormatter(rawValue: formatterName) else {
            let all = TemplateFormatter.allCases.map(\.rawValue)
            throw TemplateError("unknown formatter `\(formatterName)`\(EditDistance.hint(for: formatterName, among: all)); "
                                + "formatters are " + all.joined(separator: ", "), line: nameLine, column: nameColumn)
        }
        skipSpaces()
        var argument: String?
        let (argumentLine, argumentColumn) = (line, column)
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
            advance()
            skipSpaces()
            argument = try parseArgument()
        }
        switch (formatter.takesArgument, argument) {
        case (true?, nil):
            throw TemplateError("`\(formatterName)` needs an argument, as in `| \(formatterName): \"text\"`", line: nameLine, column: nameColumn)
        case (false?, _?):
            throw TemplateError("`\(formatterName)` takes no argument", line: argumentLine, column: argumentColumn)
        default: break
        }
        var pattern: DatePattern?
        if let argument {
            switch formatter {
            case .money:
                guard Currency(code: argument) != nil else {
                    throw TemplateError("`money` takes a currency code such as \"USD\", not \"\(argument)\"", line: argumentLine, column: argumentColumn)
                }
            case .date, .time, .datetime, .slots:
                guard let parsed = DatePattern.parse(argument) else {
                    throw TemplateError("\"\(argument)\" is not a date pattern (letters: yyyy MMM MM dd d EEE EEEE HH H hh h mm a z; quote text as 'at')",
                                        line: argumentLine, column: argumentColumn)
                }
                pattern = parsed
            default: break
            }
        }
        return Template.Filter(formatter: formatter, argument: argument, pattern: pattern)
    }

    private mutating func parseArgument() throws(TemplateError) -> String {
        guard index < bytes.count else { throw error("expected an argument after `:`") }
        let quote = bytes[index]
        if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
            let (openLine, openColumn) = (line, column)
            advance()
            let start = index
            while index < bytes.count, bytes[index] != quote { advance() }
            guard index < bytes.count else {
                throw TemplateError("the argument's quote \(Character(UnicodeScalar(quote))) is never closed", line: openLine, column: openColumn)
            }
            let value = text(start..<index)
            advance()
            return value
        }
        let start = index
        while index < bytes.count, Self.isName(bytes[index]) || bytes[index] == UInt8(ascii: "-") { advance() }
        guard index > start else { throw error("expected an argument after `:`; quote text arguments, as in \"n/a\"") }
        return text(start..<index)
    }
}
