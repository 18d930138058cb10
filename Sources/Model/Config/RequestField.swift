/// A field a tenant (or one of its services) accepts in a request's `fields`: its type, whether
/// it is required, the values it allows, and the words that set it when the request does not.
public struct RequestField: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case enumeration = "enum", integer, decimal, boolean, string, date, time, email, phone
    }

    public var name: String
    public var kind: Kind
    public var isRequired: Bool
    /// `enum`: the allowed values, in file order.
    public var values: [String]
    /// `enum`: the request may name several values (a list), as add-ons do.
    public var isMultiple: Bool
    /// `integer` and `decimal`: the allowed range.
    public var minimum: Double?
    public var maximum: Double?
    /// `string`: the longest value, in characters.
    public var maxLength: Int
    /// Words in the customer's text that set the field when the request does not give it:
    /// `enum`, the value each phrase means; `integer`/`decimal`, the words a number counts
    /// ("3 bedrooms"); `boolean`, phrases that mean true.
    public var aliases: [Alias]
    /// The service whose requests it belongs to; nil for the tenant's own fields.
    public var service: String?

    public struct Alias: Sendable, Hashable {
        public var phrase: String
        /// The enum value the phrase means; nil for a number's unit or a boolean's phrase.
        public var value: String?

        public init(phrase: String, value: String? = nil) {
            self.phrase = phrase
            self.value = value
        }
    }

    public init(name: String, kind: Kind, isRequired: Bool = false, values: [String] = [], isMultiple: Bool = false,
                minimum: Double? = nil, maximum: Double? = nil, maxLength: Int = 200, aliases: [Alias] = [], service: String? = nil) {
        self.name = name
        self.kind = kind
        self.isRequired = isRequired
        self.values = values
        self.isMultiple = isMultiple
        self.minimum = minimum
        self.maximum = maximum
        self.maxLength = maxLength
        self.aliases = aliases
        self.service = service
    }

    /// The type conditions see it as.
    public var conditionType: ConditionType {
        switch kind {
        case .enumeration: return isMultiple ? .list(values) : .choice(values)
        case .integer, .decimal: return .number
        case .boolean: return .bool
        case .string, .email, .phone: return .text
        case .date: return .date
        case .time: return .time
        }
    }

    /// What the field accepts, in words, for error messages: `a whole number from 1 to 8`.
    public var expectation: String {
        switch kind {
        case .enumeration:
            let list = values.map { "\"\($0)\"" }.joined(separator: ", ")
            return isMultiple ? "a list of values among \(list)" : "one of \(list)"
        case .integer: return "a whole number" + rangeText
        case .decimal: return "a number" + rangeText
        case .boolean: return "true or false"
        case .string: return "text of at most \(maxLength) characters"
        case .date: return "a date such as 2026-12-24"
        case .time: return "a time of day such as 14:30"
        case .email: return "an email address"
        case .phone: return "an E.164 phone number such as +15125550100"
        }
    }

    private var rangeText: String {
        switch (minimum, maximum) {
        case (let low?, let high?): return " from \(Self.format(low)) to \(Self.format(high))"
        case (let low?, nil): return " of at least \(Self.format(low))"
        case (nil, let high?): return " of at most \(Self.format(high))"
        case (nil, nil): return ""
        }
    }

    public static func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }

    /// The value as the context keeps it (integers as numbers, dates and times as their text,
    /// several enum values as a list in declaration order), or what is wrong with it.
    public func normalize(_ value: JSON) -> Result<JSON, FieldProblem> {
        let wrong = FieldProblem(field: name, message: "must be \(expectation), got \(Self.describe(value))")
        switch kind {
        case .enumeration:
            if isMultiple {
                let items = value.arrayValue ?? (value.stringValue.map { [JSON.string($0)] } ?? [])
                guard !items.isEmpty || value.arrayValue != nil else { return .failure(wrong) }
                var chosen: Set<String> = []
                for item in items {
                    guard let text = item.stringValue, values.contains(text) else {
                        return .failure(FieldProblem(field: name, message: "\(Self.describe(item)) is not allowed; must be \(expectation)"))
                    }
                    chosen.insert(text)
                }
                return .success(.array(values.filter(chosen.contains).map { .string($0) }))
            }
            guard let text = value.stringValue, values.contains(text) else { return .failure(wrong) }
            return .success(.string(text))
        case .integer:
            guard let number = value.intValue, value.doubleValue == Double(number), inRange(Double(number)) else { return .failure(wrong) }
            return .success(.int(number))
        case .decimal:
            guard case .string = value else {
                guard let number = value.doubleValue, inRange(number) else { return .failure(wrong) }
                return .success(value)
            }
            return .failure(wrong)
        case .boolean:
            guard let flag = value.boolValue else { return .failure(wrong) }
            return .success(.bool(flag))
        case .string:
            guard let text = value.stringValue, text.count <= maxLength else { return .failure(wrong) }
            return .success(.string(text))
        case .date:
            guard let text = value.stringValue, LocalDate.parse(text) != nil else { return .failure(wrong) }
            return .success(.string(text))
        case .time:
            guard let text = value.stringValue, let time = TimeOfDay.parse(text) else { return .failure(wrong) }
            return .success(.string(time.description))
        case .email:
            guard let text = value.stringValue, EmailAddressCheck.isPlausible(text) else { return .failure(wrong) }
            return .success(.string(text.lowercased()))
        case .phone:
            guard let text = value.stringValue, PhoneNumber.isE164(text) else { return .failure(wrong) }
            return .success(.string(text))
        }
    }

    private func inRange(_ number: Double) -> Bool {
        (minimum.map { number >= $0 } ?? true) && (maximum.map { number <= $0 } ?? true)
    }

    static func describe(_ value: JSON) -> String {
        switch value {
        case .string(let text): return "\"\(text.count > 40 ? String(text.prefix(40)) + "…" : text)\""
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        case .bool(let flag): return String(flag)
        default: return value.kindName
        }
    }
}

/// A request field that is wrong: which, and what it must be.
public struct FieldProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "fields.\(field): \(message)" }
}
