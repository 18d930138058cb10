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
/// `{{#if condition}}…{{else}}…{{/if}}` renders a part when a condition (`Condition`) holds.
public struct Template: Sendable, Hashable, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        case text(String)
        case expression(Expression)
        case conditional(Conditional)
    }

    /// `{{#if condition}}…{{else}}…{{/if}}`.
    struct Conditional: Sendable, Hashable {
        var source: String
        var line: Int
        var column: Int
        /// Set by `resolvingConditions`; an unresolved condition renders its `else` part.
        var condition: ConditionExpression?
        var then: [Segment]
        var otherwise: [Segment]
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
    private(set) var segments: [Segment]

    /// Parses `source`.
    ///
    /// - Throws: `TemplateError` with the line and column inside `source`.
    public init(parsing source: String) throws(TemplateError) {
        self.source = source
        var parser = TemplateParser(source)
        segments = try parser.parse()
    }

    /// Every variable the template reads, in order of appearance, with its position in `source`.
    /// A variable inside `{{#if}}` counts as having a default: the condition decides whether it
    /// is rendered, so it may be missing on some paths.
    public var variables: [TemplateVariable] { Self.variables(in: segments, guarded: false) }

    private static func variables(in segments: [Segment], guarded: Bool) -> [TemplateVariable] {
        segments.flatMap { segment -> [TemplateVariable] in
            switch segment {
            case .text: return []
            case .expression(let expression):
                return [TemplateVariable(path: expression.path, line: expression.line, column: expression.column,
                                         hasDefault: guarded || expression.filters.contains { $0.formatter == .default })]
            case .conditional(let conditional):
                return variables(in: conditional.then, guarded: true) + variables(in: conditional.otherwise, guarded: true)
            }
        }
    }

    /// The text of every `{{#if}}` condition, with where it starts in `source`.
    public var conditions: [(source: String, line: Int, column: Int)] { Self.conditionals(in: segments).map { ($0.source, $0.line, $0.column) } }

    private static func conditionals(in segments: [Segment]) -> [Conditional] {
        segments.flatMap { segment -> [Conditional] in
            guard case .conditional(let conditional) = segment else { return [] }
            return [conditional] + conditionals(in: conditional.then) + conditionals(in: conditional.otherwise)
        }
    }

    /// The template with each `{{#if}}` condition type-checked by `check`.
    ///
    /// - Throws: `TemplateError` at the condition's problem, in template coordinates.
    public func resolvingConditions(_ check: (String) throws(ConditionError) -> ConditionExpression) throws(TemplateError) -> Template {
        var copy = self
        copy.segments = try Self.resolve(segments, check)
        return copy
    }

    private static func resolve(_ segments: [Segment], _ check: (String) throws(ConditionError) -> ConditionExpression) throws(TemplateError)
        -> [Segment] {
        var result: [Segment] = []
        for segment in segments {
            guard case .conditional(var conditional) = segment else {
                result.append(segment)
                continue
            }
            do {
                conditional.condition = try check(conditional.source)
            } catch {
                let line = conditional.line + error.line - 1
                let column = error.line == 1 ? conditional.column + error.column - 1 : error.column
                throw TemplateError(error.message, line: line, column: column)
            }
            conditional.then = try resolve(conditional.then, check)
            conditional.otherwise = try resolve(conditional.otherwise, check)
            result.append(.conditional(conditional))
        }
        return result
    }

    /// True when the template has no variables or conditions: its text is its rendering.
    public var isConstant: Bool { variables.isEmpty && conditions.isEmpty }

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
