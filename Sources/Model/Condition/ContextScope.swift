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

    public init(context: JSONObject, timeZone: TenantTimeZone, hours: BusinessHours, now: Int64, slotInstant: Int64? = nil) {
        self.context = .object(context)
        self.timeZone = timeZone
        self.hours = hours
        self.now = now
        self.slotInstant = slotInstant
    }

    public func value(of key: ConditionKey) -> ConditionValue? {
        if let derived = calendarValue(key.path) { return derived }
        guard let json = context.value(at: key.path), !json.isNull else { return nil }
        return Self.convert(json, to: key.type)
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
        let instant: Int64?
        let field: Substring
        if path.hasPrefix("slot.") {
            field = path.dropFirst(5)
            guard Self.calendarFields.contains(field) else { return nil }
            instant = context.value(at: "slot.start")?.stringValue.flatMap(Timestamp.parseISO8601).map { $0 / 1000 }
                ?? slotInstant.map { $0 / 1000 }
        } else if path.hasPrefix("now.") {
            field = path.dropFirst(4)
            guard Self.calendarFields.contains(field) else { return nil }
            instant = now / 1000
        } else {
            return nil
        }
        guard let instant else { return nil }
        let local = timeZone.localTime(atUnixSeconds: instant)
        let date = LocalDate(year: local.year, month: local.month, day: local.day)
        let time = TimeOfDay(hour: local.hour, minute: local.minute)
        switch field {
        case "weekday": return .weekday(date.weekday)
        case "time": return .time(time)
        case "date": return .date(date)
        default: return .bool(hours.isOpen(on: date, at: time))
        }
    }

    static let calendarFields: Set<Substring> = ["weekday", "time", "date", "within_hours"]
}
