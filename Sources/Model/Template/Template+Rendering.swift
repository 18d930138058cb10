extension Template {
    /// The text with every variable replaced by its value in `context`, formatted in
    /// `environment`. Missing values render as nothing (or their `default`).
    public func render(_ context: JSON, in environment: TemplateEnvironment) -> String {
        var out = ""
        Self.render(segments, context, environment, into: &out)
        return out
    }

    private static func render(_ segments: [Segment], _ context: JSON, _ environment: TemplateEnvironment, into out: inout String) {
        for segment in segments {
            switch segment {
            case .text(let text): out += text
            case .expression(let expression):
                var value = context.value(at: expression.path)
                for filter in expression.filters { value = Self.apply(filter, to: value, in: environment) }
                if let value { out += value.textValue }
            case .conditional(let conditional):
                let scope = ContextScope(context: context.objectValue ?? [:], timeZone: environment.timeZone, hours: environment.hours,
                                         now: environment.now)
                let holds = conditional.condition?.holds(in: scope) ?? false
                render(holds ? conditional.then : conditional.otherwise, context, environment, into: &out)
            }
        }
    }

    static func apply(_ filter: Filter, to value: JSON?, in environment: TemplateEnvironment) -> JSON? {
        switch filter.formatter {
        case .default:
            switch value {
            case nil, .null?: return .string(filter.argument ?? "")
            case .string(let text)? where text.isEmpty: return .string(filter.argument ?? "")
            default: return value
            }
        case .upper: return value.map { .string($0.textValue.uppercased()) }
        case .lower: return value.map { .string($0.textValue.lowercased()) }
        case .json: return .string((value ?? .null).serialized())
        case .money:
            guard let value, let money = money(from: value, currencyCode: filter.argument, environment: environment) else { return value }
            return .string(money.formatted)
        case .date, .time, .datetime:
            guard let value, let instant = instant(from: value) else { return value }
            let pattern = filter.pattern ?? defaultPattern(filter.formatter, environment)
            return .string(format(instant, pattern, environment))
        case .slots:
            guard case .array(let items)? = value else { return value }
            let pattern = filter.pattern ?? environment.dateTimePattern
            let lines = items.enumerated().map { offset, item -> String in
                let start = item["start"] ?? item
                let text = instant(from: start).map { format($0, pattern, environment) } ?? start.textValue
                return "\(offset + 1)) \(text)"
            }
            return .string(lines.joined(separator: "\n"))
        }
    }

    private static func defaultPattern(_ formatter: TemplateFormatter, _ environment: TemplateEnvironment) -> DatePattern {
        switch formatter {
        case .date: return environment.datePattern
        case .time: return environment.timePattern
        default: return environment.dateTimePattern
        }
    }

    /// An instant from an ISO 8601 string or Unix seconds, or a bare `YYYY-MM-DD` date (which
    /// is already local and is not moved between zones).
    enum Instant {
        case unixSeconds(Int64)
        case localDate(LocalDate)
    }

    static func instant(from value: JSON) -> Instant? {
        switch value {
        case .int(let seconds): return .unixSeconds(seconds > 100_000_000_000 ? seconds / 1000 : seconds)
        case .string(let text):
            if let millis = Timestamp.parseISO8601(text) { return .unixSeconds(millis >= 0 ? millis / 1000 : (millis - 999) / 1000) }
            return LocalDate.parse(text).map { .localDate($0) }
        default: return nil
        }
    }

    static func format(_ instant: Instant, _ pattern: DatePattern, _ environment: TemplateEnvironment) -> String {
        switch instant {
        case .unixSeconds(let seconds):
            let local = environment.timeZone.localTime(atUnixSeconds: seconds)
            return pattern.format(local, zoneAbbreviation: environment.timeZone.abbreviation(atUnixSeconds: seconds))
        case .localDate(let date):
            let civil = Timestamp.civil(unixSeconds: date.daysSinceEpoch * 86_400)
            return pattern.format(civil, zoneAbbreviation: nil)
        }
    }

    /// Minor units from an integer, a decimal string, or `{"amount": 8900, "currency": "USD"}`.
    static func money(from value: JSON, currencyCode: String?, environment: TemplateEnvironment) -> Money? {
        var currency = currencyCode.flatMap(Currency.init(code:)) ?? environment.currency
        switch value {
        case .int(let minor): return Money(minorUnits: minor, currency: currency)
        case .double(let minor) where minor.rounded() == minor: return Money(minorUnits: Int64(minor), currency: currency)
        case .string(let text): return try? Money.parse(text, currency: currency).get()
        case .object(let object):
            if currencyCode == nil, let code = object["currency"]?.stringValue, let named = Currency(code: code.uppercased()) {
                currency = named
            }
            guard let amount = object["amount"]?.intValue else { return nil }
            return Money(minorUnits: amount, currency: currency)
        default: return nil
        }
    }
}
