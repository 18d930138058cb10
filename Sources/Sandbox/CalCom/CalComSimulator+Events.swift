import HTTP
import Model
import Native

extension CalComSimulator {
    /// The attendee cancels in Cal.com: the booking is cancelled and `BOOKING_CANCELLED` goes to
    /// the account's target, signed with `X-Cal-Signature-256`.
    ///
    /// For an occurrence of a series, `scope` takes that one, it and the later ones, or every one
    /// still to come; Cal.com sends one event about the booking named, with the event type's
    /// `recurringEvent` only when every remaining occurrence went.
    func cancelFromCalendar(_ uid: String, reason: String, scope: CancelScope = .one, request: HTTPRequest) async throws -> JSON {
        let result = try cancel(uid, account: nil, reason: reason, scope: scope, request: request)
        let booking = result.first
        guard let target = context.webhooks.target(.calcom, account: booking.account) else {
            return ["booking": CalComStore.json(booking), "delivery": ["delivered": false, "error": "no calcom webhook target registered"]]
        }
        let body = Self.cancelledEvent(booking, reason: reason, allRemaining: scope == .allRemaining).serializedBytes()
        let delivery = await context.webhooks.deliver(to: target.url, body: body, headers: [
            ("Content-Type", "application/json"),
            ("X-Cal-Signature-256", WebhookSignatures.calcom(secret: target.secret, body: body)),
        ])
        return ["booking": CalComStore.json(booking), "cancelled": .array(result.cancelled.map { .string($0.uid) }), "delivery": delivery.json]
    }

    /// `{"triggerEvent":"BOOKING_CANCELLED","createdAt":…,"payload":{…}}` as Cal.com sends it.
    static func cancelledEvent(_ booking: CalComStore.Booking, reason: String, allRemaining: Bool = false) -> JSON {
        let attendee = booking.attendee
        var person: JSONObject = ["name": attendee["name"] ?? .null, "timeZone": attendee["timeZone"] ?? "UTC",
                                  "language": ["locale": "en"]]
        person["email"] = attendee["email"] ?? .null
        if let phone = attendee["phoneNumber"] { person["phoneNumber"] = phone }
        var payload: JSONObject = [
            "type": .string(booking.eventType.slug), "title": .string("\(booking.eventType.title) between Sandbox Host and \(attendee["name"]?.stringValue ?? "guest")"),
            "startTime": .string(Timestamp.iso8601(seconds: booking.start)), "endTime": .string(Timestamp.iso8601(seconds: booking.end)),
            "organizer": ["name": "Sandbox Host", "email": "host@sandbox.switchboard.local", "timeZone": .string(booking.eventType.timeZone),
                          "language": ["locale": "en"]],
            "attendees": [.object(person)], "uid": .string(booking.uid), "bookingId": .int(booking.id),
            "eventTypeId": .int(booking.eventType.id), "status": "CANCELLED", "cancellationReason": .string(reason),
            "metadata": booking.metadata,
        ]
        // Cal.com's RecurringEvent: freq 2 is weekly.
        if allRemaining, let recurrence = booking.eventType.recurrence {
            payload["recurringEvent"] = ["freq": 2, "interval": .int(Int64(recurrence.everyWeeks)), "count": .int(Int64(recurrence.maxCount))]
        }
        return ["triggerEvent": "BOOKING_CANCELLED", "createdAt": .string(SandboxTime.isoNow()), "payload": .object(payload)]
    }
}
