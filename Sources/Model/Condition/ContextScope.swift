/// Reads condition keys from an execution's context, by the type the checker gave each key,
/// with the calendar keys derived in the tenant's zone: `slot.weekday`, `slot.time`,
/// `slot.date` and `slot.within_hours` from `slot.start` (or the instant being priced), and the
/// same four under `now.`.
public struct ContextScope: ConditionScope {
    public var context: JSON
    public var timeZone: TenantTimeZone
    public var hours: BusinessHours
    /// Unix milliseconds.
    public var now: Int64
    /// The instant `slot.*` describes when the slot is not booked yet (pricing a requested time).
    public var slotInstant: Int64?

    /// What one evaluation works out once and several tests read: the local calendar fields of
    /// `slot.*` and `now.*`, and the words of each text key. A scope lives for one decision.
    private final class Memo {
        var calendar: [Substring: (date: LocalDate, time: TimeOfDay)?] = [:]
        var words: [String: [Substring]] = [:]
    }

    private let memo = Memo()

    public init(context: JSONObject, timeZone: TenantTimeZone, hours: BusinessHours, now: Int64, slotInstant: Int64? = nil) {
        self.context = .object(context)
        self.timeZone = timeZone
        self.hours = hours
        self.now = now
        self.slotInstant = slotInstant
    }

    public func value(of key: ConditionKey) -> ConditionValue? {
        if let derived = calendarValue(key.path) { return derived }
        var json = context
        for component in key.components {
            guard case .object(let object) = json, let child = object[component] else { return nil }
            json = child
        }
        return json.isNull ? nil : Self.convert(json, to: key.type)
    }

    /// The lowercased words of the text at `key`, split once per scope.
    public func words(of key: ConditionKey) -> [Substring]? {
        if let words = memo.words[key.path] { return words }
        guard case .text(let text)? = value(of: key) else { return nil }
        let words = WordMatch.words(of: text)
        memo.words[key.path] = words
        return words
    }

    /// `json` read as `type`; nil when it cannot be (a text where a number belongs).
    static func convert(_ json: JSON, to type: ConditionType) -> ConditionValue? {
        switch type {
        case .text, .choice:
            let text = json.textValue
            return text.isEmpty && json.stringValue == nil ? nil : .text(text)
        case .number:
            if let number = json.doubleValue { return .number(number) }
            return json.stringValue.flatMap(Double.init).map(ConditionValue.number)
        case .bool: return json.boolValue.map(ConditionValue.bool)
        case .money:
            if let minor = json.intValue { return .money(minor) }
            return json.value(at: "amount")?.intValue.map(ConditionValue.money)
        case .time: return json.stringValue.flatMap(TimeOfDay.parse).map(ConditionValue.time)
        case .date: return json.stringValue.flatMap { LocalDate.parse(String($0.prefix(10))) }.map(ConditionValue.date)
        case .weekday: return json.stringValue.flatMap(Weekday.init(name:)).map(ConditionValue.weekday)
        case .list:
            if let items = json.arrayValue { return .list(items.compactMap(\.stringValue)) }
            if let text = json.stringValue { return .list(text.split(separator: ";").map { String($0) }) }
            return nil
        }
    }

    private func calendarValue(_ path: String) -> ConditionValue? {
        let field: Substring
        let namespace: Substring
        if path.hasPrefix("slot.") {
            (namespace, field) = ("slot", path.dropFirst(5))
        } else if path.hasPrefix("now.") {
            (namespace, field) = ("now", path.dropFirst(4))
        } else {
            return nil
        }
        guard Self.calendarFields.contains(field) else { return nil }
        let local: (date: LocalDate, time: TimeOfDay)?
        if let known = memo.calendar[namespace] {
            local = known
        } else {
            let instant = namespace == "now" ? now / 1000
                : context.value(at: "slot.start")?.stringValue.flatMap(Timestamp.parseISO8601).map { $0 / 1000 } ?? slotInstant.map { $0 / 1000 }
            local = instant.map { instant in
                let civil = timeZone.localTime(atUnixSeconds: instant)
                return (LocalDate(year: civil.year, month: civil.month, day: civil.day), TimeOfDay(hour: civil.hour, minute: civil.minute))
            }
            memo.calendar[namespace] = .some(local)
        }
        guard let (date, time) = local else { return nil }
        switch field {
        case "weekday": return .weekday(date.weekday)
        case "time": return .time(time)
        case "date": return .date(date)
        default: return .bool(hours.isOpen(on: date, at: time))
        }
    }

    static let calendarFields: Set<Substring> = ["weekday", "time", "date", "within_hours"]
}
