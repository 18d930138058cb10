/// Who the tenant is and when it works.
public struct TenantIdentity: Sendable, Hashable {
    public var id: TenantID
    /// The business name customers see: `Acme Plumbing`.
    public var name: String
    /// The public phone number, E.164 (`+15125550100`), for messages.
    public var phone: String?
    /// The IANA zone every hour, date, slot and lead time is reckoned in.
    public var timeZone: TenantTimeZone
    /// The currency of every amount in the file.
    public var currency: Currency
    public var hours: BusinessHours
    /// How `date`, `time` and `datetime` render by default in this tenant's messages.
    public var datePattern: DatePattern
    public var timePattern: DatePattern

    public init(id: TenantID, name: String, phone: String? = nil, timeZone: TenantTimeZone, currency: Currency,
                hours: BusinessHours = BusinessHours(),
                datePattern: DatePattern = TemplateEnvironment.defaultDatePattern,
                timePattern: DatePattern = TemplateEnvironment.defaultTimePattern) {
        self.id = id
        self.name = name
        self.phone = phone
        self.timeZone = timeZone
        self.currency = currency
        self.hours = hours
        self.datePattern = datePattern
        self.timePattern = timePattern
    }
}
