import Foundation
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
    }

    var eventTypes: [Int64: SandboxEventType] = [:]
    var bookings: [String: Booking] = [:]
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
        let busy = bookings.values.filter {
            $0.account == account && $0.eventType.calendar == type.calendar && $0.status == "accepted" && $0.uid != excluding
        }
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
                if busy.contains(where: { $0.start < start + length && start < $0.end }) { continue }
                slots.append(start)
            }
        }
        return slots
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
