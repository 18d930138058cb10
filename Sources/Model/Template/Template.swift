/// A message template: text with `{{path.to.value}}` variables and `| formatter` filters,
/// parsed once and rendered many times.
///
/// ```swift
/// let template = try Template(parsing: "Hi {{customer.name | default: \"there\"}}, see you {{slot.start | datetime}}.")
/// template.variables.map(\.path)              // ["customer.name", "slot.start"]
/// template.render(context, in: config.templateEnvironment)
/// ```
///
/// Formatters: `money` (minor units, optional currency code argument), `date`, `time`,
/// `datetime` (in the tenant's zone, optional `DatePattern` argument), `slots` (a list of
/// times as numbered lines), `json` (a JSON literal, for request bodies), `default: "text"`
/// (when the value is missing or empty), `upper`, `lower`. A missing value renders as nothing.
public struct Template: Sendable, Hashable, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        case text(String)
        case expression(Expression)
    }

    struct Expression: Sendable, Hashable {
        var path: String
        var filters: [Filter]
        var line: Int
        var column: Int
    }

    struct Filter: Sendable, Hashable {
        var formatter: TemplateFormatter
        var argument: String?
        var pattern: DatePattern?
    }

    /// The text as written.
    public let source: String
    let segments: [Segment]

    /// Parses `source`.
    ///
    /// - Throws: `TemplateError` with the line and column inside `source`.
    public init(parsing source: String) throws(TemplateError) {
        self.source = source
        var parser = TemplateParser(source)
        segments = try parser.parse()
    }

    /// Every variable the template reads, in order of appearance, with its position in `source`.
    public var variables: [TemplateVariable] {
        segments.compactMap {
            guard case .expression(let expression) = $0 else { return nil }
            return TemplateVariable(path: expression.path, line: expression.line, column: expression.column,
                                    hasDefault: expression.filters.contains { $0.formatter == .default })
        }
    }

    /// True when the template has no variables: its text is its rendering.
    public var isConstant: Bool { variables.isEmpty }

    public var description: String { source }

    public static func == (lhs: Template, rhs: Template) -> Bool { lhs.source == rhs.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }
}

/// One `{{...}}` variable of a template and where it starts (the first character of its path).
public struct TemplateVariable: Sendable, Hashable {
    public var path: String
    public var line: Int
    public var column: Int
    /// The variable has a `default`, so rendering without it is intended.
    public var hasDefault: Bool
}

/// The formatters a template may apply with `|`.
public enum TemplateFormatter: String, Sendable, Hashable, CaseIterable {
    case money, date, time, datetime, slots, json, `default`, upper, lower

    /// Whether the formatter takes an argument after `:` (nil: it may).
    var takesArgument: Bool? {
        switch self {
        case .default: return true
        case .money, .date, .time, .datetime, .slots: return nil
        case .json, .upper, .lower: return false
        }
    }
}
