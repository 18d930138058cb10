/// What a template needs besides its context: the tenant's zone, currency and date styles.
public struct TemplateEnvironment: Sendable, Hashable {
    public var timeZone: TenantTimeZone
    public var currency: Currency
    /// The `date` formatter's default pattern.
    public var datePattern: DatePattern
    /// The `time` formatter's default pattern.
    public var timePattern: DatePattern
    /// For `{{#if}}` conditions on `slot.within_hours` and `now.*`.
    public var hours = BusinessHours()
    /// Unix milliseconds.
    public var now: Int64 = 0

    public static let defaultDatePattern = DatePattern.parse("EEE, MMM d")!
    public static let defaultTimePattern = DatePattern.parse("h:mm a")!

    public init(timeZone: TenantTimeZone, currency: Currency,
                datePattern: DatePattern = TemplateEnvironment.defaultDatePattern,
                timePattern: DatePattern = TemplateEnvironment.defaultTimePattern) {
        self.timeZone = timeZone
        self.currency = currency
        self.datePattern = datePattern
        self.timePattern = timePattern
    }

    /// The `datetime` formatter's default: the date, "at", the time.
    public var dateTimePattern: DatePattern { datePattern.joined(with: " 'at' ", timePattern) }
}
