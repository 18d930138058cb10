/// A typed value of a step's `params:`, checked against `AgentCatalog`.
public enum StepParameter: Sendable, Hashable {
    case integer(Int)
    case money(Money)
    case duration(Duration)
    /// A reference by name: a template, an approval policy, an integration, an operation.
    case name(String)
    /// One of the values the parameter allows: `slot_choice`, `sms`.
    case choice(String)
    /// An ordered list of allowed values, written as one value or a list: `[slack, email]`.
    case choices([String])
    /// Named templates rendered per call: `crm.update`'s `properties`.
    case templates([String: Template])

    public var integer: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }

    public var money: Money? {
        if case .money(let value) = self { return value }
        return nil
    }

    public var duration: Duration? {
        if case .duration(let value) = self { return value }
        return nil
    }

    /// The text of a `.name` or `.choice`.
    public var text: String? {
        switch self {
        case .name(let value), .choice(let value): return value
        default: return nil
        }
    }

    /// The values of a `.choices`, or the one value of a `.choice`.
    public var choices: [String]? {
        switch self {
        case .choices(let values): return values
        case .choice(let value): return [value]
        default: return nil
        }
    }

    public var templates: [String: Template]? {
        if case .templates(let value) = self { return value }
        return nil
    }
}
