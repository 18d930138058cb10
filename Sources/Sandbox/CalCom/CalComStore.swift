import Model

/// Event types and bookings of the simulated Cal.com. Bookings block slots of every event type
/// on the same (account, calendar).
struct CalComStore: Sendable {
    struct Booking: Sendable {
        var id: Int64
        var uid: String
        var account: String
        var eventType: SandboxEventType
        var start: Int64
        var end: Int64
        var status: String
        var attendee: JSON
        var metadata: JSON
        var createdAt: String
        var updatedAt: String
        var cancellationReason: String?
        var reschedulingReason: String?
        var rescheduledFromUid: String?
        /// Shared by the occurrences of a recurring booking.
        var recurringBookingUid: String?
    }

    var eventTypes: [Int64: SandboxEventType] = [:]
    var bookings = BookingTable()
    var order: [String] = []
    private var nextID: Int64 = 1

    mutating func makeID() -> Int64 {
        defer { nextID += 1 }
        return nextID
    }

    /// The event type with `id`; unknown ids get the default (60 minutes, weekdays 9 to 5 UTC).
    mutating func eventType(_ id: Int64) -> SandboxEventType {
        if let known = eventTypes[id] { return known }
        let created = SandboxEventType(id: id)
        eventTypes[id] = created
        return created
    }

    /// Free slot starts (Unix seconds) of `type` in `[from, to)`, ignoring `excluding`.
    func freeSlots(_ type: SandboxEventType, account: String, from: Int64, to: Int64, now: Int64, excluding: String? = nil) -> [Int64] {
        guard let zone = CalComCalendar.zone(type.timeZone), from < to else { return [] }
        // Accepted bookings of this calendar, by start, for a binary search per candidate slot.
        var busy = bookings.accepted(account: account, calendar: type.calendar)
        if let excluding { busy.removeAll { $0.uid == excluding } }
        let length = Int64(type.lengthInMinutes) * 60
        let earliest = max(from, now + Int64(type.minimumNoticeMinutes) * 60)
        var slots: [Int64] = []
        let firstDay = (from + CalComCalendar.offset(zone, at: from)) / 86_400 - 1
        let lastDay = (to + CalComCalendar.offset(zone, at: to)) / 86_400 + 1
        for day in firstDay...max(firstDay, lastDay) {
            let weekday = Int(((day % 7) + 11) % 7)
            guard let hours = type.hours[weekday] else { continue }
            var minute = Int64(hours.lowerBound)
            while minute * 60 + length <= Int64(hours.upperBound) * 60 {
                let start = CalComCalendar.instant(localSeconds: day * 86_400 + minute * 60, in: zone)
                minute += Int64(type.lengthInMinutes)
                guard start >= earliest, start < to else { continue }
                if Self.overlaps(busy, start: start, end: start + length) { continue }
                slots.append(start)
            }
        }
        return slots
    }

    /// Whether a booking of `type` lasting `minutes` can start at `start`: a free slot of the
    /// type whose whole length (for a longer duration) meets no other booking and ends within hours.
    func isFree(_ type: SandboxEventType, account: String, start: Int64, minutes: Int64, now: Int64, excluding: String? = nil) -> Bool {
        guard freeSlots(type, account: account, from: start, to: start + 1, now: now, excluding: excluding).contains(start) else { return false }
        guard minutes > Int64(type.lengthInMinutes), let zone = CalComCalendar.zone(type.timeZone) else { return true }
        var busy = bookings.accepted(account: account, calendar: type.calendar)
        if let excluding { busy.removeAll { $0.uid == excluding } }
        let end = start + minutes * 60
        let local = start + CalComCalendar.offset(zone, at: start)
        let weekday = Int((((local / 86_400) % 7) + 11) % 7)
        guard let hours = type.hours[weekday], (local % 86_400) + minutes * 60 <= Int64(hours.upperBound) * 60 else { return false }
        return !Self.overlaps(busy, start: start, end: end)
    }

    /// Whether any interval of `busy` (sorted by start, not overlapping each other) meets [start, end).
    static func overlaps(_ busy: [BookingTable.Interval], start: Int64, end: Int64) -> Bool {
        // The last booking starting before `end` is the only one that can reach into the slot.
        var low = 0
        var high = busy.count
        while low < high {
            let middle = (low + high) / 2
            if busy[middle].start < end { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return false }
        return busy[low - 1].end > start
    }

    /// A `BookingOutput_2024_08_13`.
    static func json(_ booking: Booking) -> JSON {
        var object: JSONObject = [
            "id": .int(booking.id), "uid": .string(booking.uid),
            "title": .string("\(booking.eventType.title) between Sandbox Host and \(booking.attendee["name"]?.stringValue ?? "guest")"),
            "description": "", "hosts": [["id": 1, "name": "Sandbox Host", "email": "host@sandbox.switchboard.local",
                                          "username": "sandbox-host", "timeZone": .string(booking.eventType.timeZone)]],
            "status": .string(booking.status), "start": .string(Timestamp.iso8601(millis: booking.start * 1000)),
            "end": .string(Timestamp.iso8601(millis: booking.end * 1000)), "duration": .int((booking.end - booking.start) / 60),
            "eventTypeId": .int(booking.eventType.id), "eventType": ["id": .int(booking.eventType.id), "slug": .string(booking.eventType.slug)],
            "location": "", "absentHost": false, "createdAt": .string(booking.createdAt), "updatedAt": .string(booking.updatedAt),
            "metadata": booking.metadata, "attendees": [booking.attendee], "guests": [],
            "bookingFieldsResponses": ["name": booking.attendee["name"] ?? .null, "email": booking.attendee["email"] ?? .null],
        ]
        if let reason = booking.cancellationReason { object["cancellationReason"] = .string(reason) }
        if let reason = booking.reschedulingReason { object["reschedulingReason"] = .string(reason) }
        if let uid = booking.rescheduledFromUid { object["rescheduledFromUid"] = .string(uid) }
        // A RecurringBookingOutput_2024_08_13 when it is an occurrence of a series.
        if let uid = booking.recurringBookingUid { object["recurringBookingUid"] = .string(uid) }
        return .object(object)
    }

    var summary: JSON {
        var byKey: [String: Int64] = [:]
        var accepted: Int64 = 0
        for booking in bookings.values {
            if booking.status == "accepted" { accepted += 1 }
            if let key = booking.metadata["switchboard_key"]?.stringValue { byKey[key, default: 0] += 1 }
        }
        return ["bookings": .int(Int64(bookings.count)), "accepted": .int(accepted),
                "by_idempotency_key": .object(JSONObject(byKey.sorted { $0.key < $1.key }.map { (key: $0.key, value: JSON.int($0.value)) })),
                "list": .array(order.compactMap { bookings[$0].map(CalComStore.json) })]
    }
}

/// Bookings by uid, with the accepted ones indexed by (account, calendar) and sorted by start,
/// so free-slot searches look only at the calendar they are about.
struct BookingTable: Sendable {
    struct Interval: Sendable {
        var start: Int64
        var end: Int64
        var uid: String
    }

    private var byUID: [String: CalComStore.Booking] = [:]
    private var acceptedByCalendar: [String: [Interval]] = [:]

    private static func calendarKey(_ booking: CalComStore.Booking) -> String {
        "\(booking.account)|\(booking.eventType.calendar)"
    }

    subscript(uid: String) -> CalComStore.Booking? {
        get { byUID[uid] }
        set {
            if let old = byUID[uid], old.status == "accepted" {
                acceptedByCalendar[Self.calendarKey(old)]?.removeAll { $0.uid == uid }
            }
            byUID[uid] = newValue
            if let new = newValue, new.status == "accepted" {
                let key = Self.calendarKey(new)
                var intervals = acceptedByCalendar[key] ?? []
                var low = 0
                var high = intervals.count
                while low < high {
                    let middle = (low + high) / 2
                    if intervals[middle].start < new.start { low = middle + 1 } else { high = middle }
                }
                intervals.insert(Interval(start: new.start, end: new.end, uid: uid), at: low)
                acceptedByCalendar[key] = intervals
            }
        }
    }

    /// Accepted bookings of one calendar, by start.
    func accepted(account: String, calendar: String) -> [Interval] {
        acceptedByCalendar["\(account)|\(calendar)"] ?? []
    }

    var values: Dictionary<String, CalComStore.Booking>.Values { byUID.values }

    /// The occurrences of a recurring booking, by start.
    func series(_ recurringUID: String) -> [CalComStore.Booking] {
        byUID.values.filter { $0.recurringBookingUid == recurringUID }.sorted { $0.start < $1.start }
    }
    var count: Int { byUID.count }
}
