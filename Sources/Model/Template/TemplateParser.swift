/// Splits template text into literal text and `{{ path | formatter: argument }}` expressions.
struct TemplateParser {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var column = 1

    init(_ source: String) { scalars = Array(source.unicodeScalars) }

    mutating func parse() throws(TemplateError) -> [Template.Segment] {
        var segments: [Template.Segment] = []
        var text = String.UnicodeScalarView()
        while index < scalars.count {
            if scalars[index] == "{" && peek(1) == "{" {
                if !text.isEmpty { segments.append(.text(String(text))); text = String.UnicodeScalarView() }
                segments.append(.expression(try parseExpression()))
            } else {
                text.append(scalars[index])
                advance()
            }
        }
        if !text.isEmpty { segments.append(.text(String(text))) }
        return segments
    }

    private func peek(_ offset: Int) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private mutating func advance() {
        if scalars[index] == "\n" { line += 1; column = 1 } else { column += 1 }
        index += 1
    }

    private mutating func skipSpaces() {
        while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { advance() }
    }

    private func error(_ message: String) -> TemplateError { TemplateError(message, line: line, column: column) }

    private mutating func parseExpression() throws(TemplateError) -> Template.Expression {
        let open = (line, column)
        advance(); advance()
        // Find the closing braces first, so an unclosed expression is reported where it opens.
        var probe = index
        while probe + 1 < scalars.count, !(scalars[probe] == "}" && scalars[probe + 1] == "}") { probe += 1 }
        guard probe + 1 < scalars.count else {
            throw TemplateError("`{{` is never closed: end the variable with `}}`", line: open.0, column: open.1)
        }
        skipSpaces()
        let (pathLine, pathColumn) = (line, column)
        let path = try parsePath()
        var filters: [Template.Filter] = []
        skipSpaces()
        while index < scalars.count, scalars[index] == "|" {
            advance()
            skipSpaces()
            filters.append(try parseFilter())
            skipSpaces()
        }
        guard index < scalars.count else {
            throw TemplateError("`{{` is never closed: end the variable with `}}`", line: open.0, column: open.1)
        }
        guard scalars[index] == "}" && peek(1) == "}" else {
            throw error("unexpected `\(scalars[index])` in a variable: write `{{path.to.value}}` or `{{value | formatter}}`")
        }
        advance(); advance()
        return Template.Expression(path: path, filters: filters, line: pathLine, column: pathColumn)
    }

    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_")
    }

    private mutating func parsePath() throws(TemplateError) -> String {
        var path = ""
        while true {
            let start = index
            while index < scalars.count, Self.isNameScalar(scalars[index]) { advance() }
            guard index > start else {
                if index < scalars.count, scalars[index] == "}" {
                    throw error(path.isEmpty ? "empty variable `{{}}`: name a value such as `{{customer.name}}`"
                                             : "a variable cannot end with `.`")
                }
                throw error("expected a variable name like `customer.name`, found `\(index < scalars.count ? String(scalars[index]) : "")`")
            }
            path.unicodeScalars.append(contentsOf: scalars[start..<index])
            guard index < scalars.count, scalars[index] == "." else { return path }
            path.append(".")
            advance()
        }
    }

    private mutating func parseFilter() throws(TemplateError) -> Template.Filter {
        let (nameLine, nameColumn) = (line, column)
        var name = ""
        while index < scalars.count, Self.isNameScalar(scalars[index]) { name.unicodeScalars.append(scalars[index]); advance() }
        guard !name.isEmpty else { throw error("expected a formatter name after `|`") }
        guard let formatter = TemplateFormatter(rawValue: name) else {
            let hint = EditDistance.hint(for: name, among: TemplateFormatter.allCases.map(\.rawValue))
            throw TemplateError("unknown formatter `\(name)`\(hint); formatters are "
                                + TemplateFormatter.allCases.map(\.rawValue).joined(separator: ", "), line: nameLine, column: nameColumn)
        }
        skipSpaces()
        var argument: String?
        let (argumentLine, argumentColumn) = (line, column)
        if index < scalars.count, scalars[index] == ":" {
            advance()
            skipSpaces()
            argument = try parseArgument()
        }
        switch (formatter.takesArgument, argument) {
        case (true?, nil):
            throw TemplateError("`\(name)` needs an argument, as in `| \(name): \"text\"`", line: nameLine, column: nameColumn)
        case (false?, _?):
            throw TemplateError("`\(name)` takes no argument", line: argumentLine, column: argumentColumn)
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
        guard index < scalars.count else { throw error("expected an argument after `:`") }
        let quote = scalars[index]
        if quote == "\"" || quote == "'" {
            let (openLine, openColumn) = (line, column)
            advance()
            var value = ""
            while index < scalars.count, scalars[index] != quote {
                value.unicodeScalars.append(scalars[index])
                advance()
            }
            guard index < scalars.count else {
                throw TemplateError("the argument's quote \(quote) is never closed", line: openLine, column: openColumn)
            }
            advance()
            return value
        }
        var value = ""
        while index < scalars.count, Self.isNameScalar(scalars[index]) || scalars[index] == "-" {
            value.unicodeScalars.append(scalars[index])
            advance()
        }
        guard !value.isEmpty else { throw error("expected an argument after `:`; quote text arguments, as in \"n/a\"") }
        return value
    }
}
