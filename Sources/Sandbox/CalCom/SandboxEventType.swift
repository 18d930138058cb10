import Model

/// A bookable event type of the simulated Cal.com: its length, business hours in its time zone,
/// and the calendar it shares with other event types (a booking on one blocks them all).
public struct SandboxEventType: Sendable, Equatable {
    public var id: Int64
    public var slug: String
    public var title: String
    public var lengthInMinutes: Int
    /// Cal.com's "multiple durations": the other lengths a booking may ask for with
    /// `lengthInMinutes` (the default length is always allowed).
    public var lengthOptions: [Int] = []
    /// IANA zone the hours are in (`America/New_York`).
    public var timeZone: String
    /// Opening hours per weekday (0 = Sunday) as minutes since midnight, `[start, end)`.
    public var hours: [Int: ClosedRange<Int>]
    public var calendar: String
    /// Slots closer than this to now are not offered.
    public var minimumNoticeMinutes: Int
    /// Cal.com's "Recurring event" setting: bookings of this type are series repeating weekly
    /// every `everyWeeks` weeks, of at most `maxCount` occurrences.
    public var recurrence: Recurrence?

    /// `recurrence: {frequency: weekly, interval, occurrences}` of a Cal.com event type.
    public struct Recurrence: Sendable, Equatable {
        public var everyWeeks: Int
        public var maxCount: Int

        public init(everyWeeks: Int, maxCount: Int) {
            self.everyWeeks = max(1, everyWeeks)
            self.maxCount = max(1, maxCount)
        }
    }

    /// Whether a booking may last `minutes`.
    public func allows(length minutes: Int64) -> Bool { minutes == Int64(lengthInMinutes) || lengthOptions.contains(Int(minutes)) }

    /// `60`, or `one of 60, 90, 120` with options.
    var allowedLengths: String {
        lengthOptions.isEmpty ? String(lengthInMinutes) : "one of " + ([lengthInMinutes] + lengthOptions).map(String.init).joined(separator: ", ")
    }

    /// Monday to Friday, 09:00 to 17:00.
    public static let businessHours: [Int: ClosedRange<Int>] = Dictionary(uniqueKeysWithValues: (1...5).map { ($0, 540...1020) })

    public init(id: Int64, slug: String? = nil, title: String? = nil, lengthInMinutes: Int = 60, timeZone: String = "UTC",
                hours: [Int: ClosedRange<Int>] = SandboxEventType.businessHours, calendar: String = "default", minimumNoticeMinutes: Int = 0,
                recurrence: Recurrence? = nil) {
        self.id = id
        self.slug = slug ?? "event-\(id)"
        self.title = title ?? "Appointment"
        self.lengthInMinutes = max(5, lengthInMinutes)
        self.timeZone = timeZone
        self.hours = hours
        self.calendar = calendar
        self.minimumNoticeMinutes = minimumNoticeMinutes
        self.recurrence = recurrence
    }

    /// Reads `{"id","slug","title","length_minutes","length_options":[…],"time_zone","calendar","minimum_notice_minutes",
    /// "hours":{"mon":["09:00","17:00"],…},"recurrence":{"frequency":"weekly","interval":2,"occurrences":12}}`.
    public init(json: JSON) throws(SandboxError) {
        guard let id = json["id"]?.intValue, id > 0 else { throw SandboxError.badRequest("id must be a positive integer") }
        var hours = SandboxEventType.businessHours
        if let object = json["hours"]?.objectValue {
            hours = [:]
            let days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
            for member in object {
                guard let day = days.firstIndex(of: member.key.lowercased()), let range = member.value.arrayValue, range.count == 2,
                      let start = Self.minutes(range[0].stringValue), let end = Self.minutes(range[1].stringValue), start < end else {
                    throw SandboxError.badRequest("hours.\(member.key) must be [\"HH:MM\", \"HH:MM\"] on a day named sun..sat")
                }
                hours[day] = start...end
            }
        }
        var recurrence: Recurrence?
        if let repeats = json["recurrence"], !repeats.isNull {
            guard repeats["frequency"]?.stringValue ?? "weekly" == "weekly", let interval = repeats["interval"]?.intValue, interval > 0,
                  let occurrences = repeats["occurrences"]?.intValue, occurrences > 0 else {
                throw SandboxError.badRequest("recurrence must be {\"frequency\":\"weekly\",\"interval\":N,\"occurrences\":N} (the sandbox repeats weekly only)")
            }
            recurrence = Recurrence(everyWeeks: Int(interval), maxCount: Int(occurrences))
        }
        self.init(id: id, slug: json["slug"]?.stringValue, title: json["title"]?.stringValue,
                  lengthInMinutes: Int(json["length_minutes"]?.intValue ?? 60), timeZone: json["time_zone"]?.stringValue ?? "UTC",
                  hours: hours, calendar: json["calendar"]?.stringValue ?? "default",
                  minimumNoticeMinutes: Int(json["minimum_notice_minutes"]?.intValue ?? 0), recurrence: recurrence)
        lengthOptions = (json["length_options"]?.arrayValue ?? []).compactMap { $0.intValue.map(Int.init) }
        guard CalComCalendar.isKnownZone(timeZone) else { throw SandboxError.badRequest("unknown time zone \(timeZone)") }
    }

    private static func minutes(_ text: String?) -> Int? {
        guard let parts = text?.split(separator: ":"), parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
              (0...24).contains(h), (0..<60).contains(m) else { return nil }
        return h * 60 + m
    }
}
