import HTTP
import Model
import Synchronization

/// Simulated Cal.com API v2 under `/calcom`: slots from each event type's business hours minus
/// its calendar's bookings, bookings (created, cancelled, rescheduled), the `cal-api-version`
/// header and Cal.com's error envelope.
final class CalComSimulator: Sendable {
    let store = Mutex(CalComStore())
    let context: SandboxContext

    init(context: SandboxContext, eventTypes: [SandboxEventType]) {
        self.context = context
        store.withLock { store in for type in eventTypes { store.eventTypes[type.id] = type } }
    }

    func register(on routes: RouterBuilder) {
        let faults = context.faults
        routes.add(.get, "/calcom/v2/slots", faults.guarded(.calcom) { [self] request in try slots(request) })
        routes.add(.post, "/calcom/v2/bookings", faults.guarded(.calcom) { [self] request in try createBooking(request) })
        routes.add(.get, "/calcom/v2/bookings", faults.guarded(.calcom) { [self] request in try listBookings(request) })
        routes.add(.get, "/calcom/v2/bookings/{uid}", faults.guarded(.calcom) { [self] request in
            let account = try authenticate(request, version: "2024-08-13")
            let uid = request.parameters["uid"] ?? ""
            guard let booking = store.withLock({ $0.bookings[uid] }), booking.account == account else { throw notFound(uid, request) }
            return Self.success(CalComStore.json(booking))
        })
        routes.add(.post, "/calcom/v2/bookings/{uid}/cancel", faults.guarded(.calcom) { [self] request in
            let account = try authenticate(request, version: "2024-08-13")
            let reason = request.json?["cancellationReason"]?.stringValue
            let scope: CancelScope = request.json?["cancelSubsequentBookings"]?.boolValue == true ? .subsequent : .one
            let result = try cancel(request.parameters["uid"] ?? "", account: account, reason: reason, scope: scope, request: request)
            return Self.success(result.isList ? .array(result.cancelled.map(CalComStore.json)) : CalComStore.json(result.first))
        })
        routes.add(.post, "/calcom/v2/bookings/{uid}/reschedule", faults.guarded(.calcom) { [self] request in try reschedule(request) })
    }

    func define(_ type: SandboxEventType) { store.withLock { $0.eventTypes[type.id] = type } }

    func authenticate(_ request: HTTPRequest, version: String) throws -> String {
        guard let key = request.bearerToken, key.hasPrefix("cal_"), !key.contains("revoked") else {
            throw Self.error(401, "UnauthorizedException", "Invalid or missing API key: send Authorization: Bearer cal_…", request)
        }
        guard request.headers["cal-api-version"] == version else {
            throw Self.error(400, "BadRequestException",
                             "cal-api-version header must be \(version) for \(request.path) (got \(request.headers["cal-api-version"] ?? "none"))",
                             request)
        }
        return key
    }

    private func slots(_ request: HTTPRequest) throws -> HTTPResponse {
        let account = try authenticate(request, version: "2024-09-04")
        let query = request.queryItems
        guard let startText = query["start"], let endText = query["end"] else {
            throw Self.error(400, "BadRequestException", "start and end are required query parameters", request)
        }
        guard let idText = query["eventTypeId"], let id = Int64(idText) else {
            throw Self.error(400, "BadRequestException", "eventTypeId is required (the sandbox does not resolve slugs)", request)
        }
        let zoneName = query["timeZone"] ?? "UTC"
        guard let zone = CalComCalendar.zone(zoneName) else {
            throw Self.error(400, "BadRequestException", "Invalid time zone: \(zoneName)", request)
        }
        guard let from = CalComCalendar.parse(startText, in: zone), let to = CalComCalendar.parse(endText, in: zone, endOfDay: true) else {
            throw Self.error(400, "BadRequestException", "start and end must be ISO 8601 dates or date-times", request)
        }
        let isRange = query["slotFormat"] == "range" || query["format"] == "range"
        let (type, starts) = store.withLock { store in
            let type = store.eventType(id)
            return (type, store.freeSlots(type, account: account, from: from, to: to, now: SandboxTime.unixSeconds()))
        }
        // Grouped by local date, in order; each day's array is built once.
        var order: [String] = []
        var byDay: [String: [JSON]] = [:]
        for start in starts {
            let day = CalComCalendar.localDate(unixSeconds: start, in: zone)
            var slot: JSONObject = ["start": .string(CalComCalendar.format(unixSeconds: start, in: zone))]
            if isRange { slot["end"] = .string(CalComCalendar.format(unixSeconds: start + Int64(type.lengthInMinutes) * 60, in: zone)) }
            if byDay[day] == nil { order.append(day) }
            byDay[day, default: []].append(.object(slot))
        }
        return Self.success(.object(JSONObject(order.map { (key: $0, value: JSON.array(byDay[$0] ?? [])) })))
    }

    private func createBooking(_ request: HTTPRequest) throws -> HTTPResponse {
        let account = try authenticate(request, version: "2024-08-13")
        guard let body = request.json, body.objectValue != nil else {
            throw Self.error(400, "BadRequestException", "the body must be a JSON object", request)
        }
        guard let startText = body["start"]?.stringValue, let startMillis = Timestamp.parseISO8601(startText) else {
            throw Self.error(400, "BadRequestException", "start must be an ISO 8601 date-time in UTC", request)
        }
        guard let id = body["eventTypeId"]?.intValue else {
            throw Self.error(400, "BadRequestException", "eventTypeId is required (the sandbox does not resolve slugs)", request)
        }
        guard let attendee = body["attendee"], attendee["name"]?.stringValue?.isEmpty == false,
              let zone = attendee["timeZone"]?.stringValue, CalComCalendar.isKnownZone(zone) else {
            throw Self.error(400, "BadRequestException", "attendee.name and a valid attendee.timeZone are required", request)
        }
        guard attendee["email"]?.stringValue != nil || attendee["phoneNumber"]?.stringValue != nil else {
            throw Self.error(400, "BadRequestException", "attendee.email or attendee.phoneNumber is required", request)
        }
        var stored = attendee
        stored["language"] = stored["language"] ?? "en"
        stored["absent"] = false
        let metadata = body["metadata"] ?? .object(JSONObject())
        let type = store.withLock { $0.eventType(id) }
        let count = body["recurrenceCount"]?.intValue
        if type.recurrence != nil || body["recurrenceCount"] != nil {
            let series = try bookSeries(account: account, type: type, start: startMillis / 1000, count: count,
                                        length: body["lengthInMinutes"]?.intValue, attendee: stored, metadata: metadata, request: request)
            return Self.success(.array(series.map(CalComStore.json)), status: .created)
        }
        let booking = try book(account: account, eventTypeID: id, start: startMillis / 1000, length: body["lengthInMinutes"]?.intValue,
                               attendee: stored, metadata: metadata, request: request)
        return Self.success(CalComStore.json(booking), status: .created)
    }

    /// Books a free, aligned slot or refuses with Cal.com's "not available" answer.
    func book(account: String, eventTypeID: Int64, start: Int64, length: Int64?, attendee: JSON, metadata: JSON,
              rescheduling old: CalComStore.Booking? = nil, request: HTTPRequest) throws -> CalComStore.Booking {
        try store.withLock { store in
            let type = store.eventType(eventTypeID)
            if let length, !type.allows(length: length) {
                throw Self.error(400, "BadRequestException", "lengthInMinutes must be \(type.allowedLengths) for event type \(type.id)", request)
            }
            let minutes = length ?? Int64(type.lengthInMinutes)
            guard store.isFree(type, account: account, start: start, minutes: minutes, now: SandboxTime.unixSeconds(), excluding: old?.uid) else {
                throw Self.error(400, "BadRequestException", "User either already has booking at this time or is not available", request)
            }
            let now = SandboxTime.isoNow()
            let booking = CalComStore.Booking(id: store.makeID(), uid: SandboxIDs.alphanumeric("", length: 22), account: account, eventType: type,
                                              start: start, end: start + minutes * 60, status: "accepted",
                                              attendee: attendee, metadata: metadata, createdAt: now, updatedAt: now,
                                              rescheduledFromUid: old?.uid)
            if var old {
                old.status = "cancelled"
                old.updatedAt = now
                store.bookings[old.uid] = old
            }
            store.bookings[booking.uid] = booking
            store.order.append(booking.uid)
            return booking
        }
    }

    func cancel(_ uid: String, account: String?, reason: String?, request: HTTPRequest) throws -> CalComStore.Booking {
        try store.withLock { store in
            guard var booking = store.bookings[uid], account == nil || booking.account == account else { throw notFound(uid, request) }
            // Cancelling twice answers the cancelled booking again.
            if booking.status != "cancelled" {
                booking.status = "cancelled"
                booking.cancellationReason = reason
                booking.updatedAt = SandboxTime.isoNow()
                store.bookings[uid] = booking
            }
            return booking
        }
    }

    private func reschedule(_ request: HTTPRequest) throws -> HTTPResponse {
        let account = try authenticate(request, version: "2024-08-13")
        let uid = request.parameters["uid"] ?? ""
        guard let old = store.withLock({ $0.bookings[uid] }), old.account == account else { throw notFound(uid, request) }
        guard old.status == "accepted" else {
            throw Self.error(400, "BadRequestException", "Booking with uid=\(uid) is \(old.status) and cannot be rescheduled", request)
        }
        guard let startText = request.json?["start"]?.stringValue, let millis = Timestamp.parseISO8601(startText) else {
            throw Self.error(400, "BadRequestException", "start must be an ISO 8601 date-time in UTC", request)
        }
        var booking = try book(account: account, eventTypeID: old.eventType.id, start: millis / 1000, length: nil, attendee: old.attendee,
                               metadata: old.metadata, rescheduling: old, request: request)
        if let reason = request.json?["reschedulingReason"]?.stringValue {
            booking.reschedulingReason = reason
            store.withLock { $0.bookings[booking.uid]?.reschedulingReason = reason }
        }
        return Self.success(CalComStore.json(booking), status: .created)
    }

    func notFound(_ uid: String, _ request: HTTPRequest) -> SandboxAnswer {
        Self.error(404, "NotFoundException", "Booking with uid=\(uid) was not found in the database", request)
    }

    static func success(_ data: JSON, status: HTTPStatus = .ok) -> HTTPResponse {
        .json(["status": "success", "data": data], status: status)
    }

    /// `{"status":"error","timestamp","path","error":{"code","message"}}`.
    static func error(_ status: Int, _ code: String, _ message: String, _ request: HTTPRequest) -> SandboxAnswer {
        SandboxAnswer(.json(["status": "error", "timestamp": .string(SandboxTime.isoNow()), "path": .string(request.target),
                             "error": ["code": .string(code), "message": .string(message)]], status: HTTPStatus(status)))
    }
}
