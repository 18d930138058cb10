import HTTP
import Model
import Synchronization

/// Recurring bookings as Cal.com makes them: the event type's "Recurring event" setting fixes the
/// interval (weekly, every N weeks) and the most occurrences; `POST /v2/bookings` with
/// `recurrenceCount` books that many at the same local time and answers with the list, each
/// occurrence its own booking sharing a `recurringBookingUid`. Cancelling takes one occurrence,
/// that one and the later ones (`cancelSubsequentBookings`), or, by the `recurringBookingUid`,
/// every occurrence still to come.
extension CalComSimulator {
    /// How much of a series a cancellation takes.
    enum CancelScope: Sendable {
        case one, subsequent, allRemaining
    }

    func bookSeries(account: String, type: SandboxEventType, start: Int64, count requested: Int64?, length: Int64?,
                    attendee: JSON, metadata: JSON, request: HTTPRequest) throws -> [CalComStore.Booking] {
        guard let recurrence = type.recurrence else {
            throw Self.error(400, "BadRequestException",
                             "Event type with id=\(type.id) is not a recurring event type: remove recurrenceCount or book a recurring event type",
                             request)
        }
        let count = requested ?? Int64(recurrence.maxCount)
        guard count >= 1, count <= Int64(recurrence.maxCount) else {
            throw Self.error(400, "BadRequestException",
                             "recurrenceCount must be between 1 and \(recurrence.maxCount), the event type's occurrences", request)
        }
        if let length, !type.allows(length: length) {
            throw Self.error(400, "BadRequestException", "lengthInMinutes must be \(type.allowedLengths) for event type \(type.id)", request)
        }
        guard let zone = CalComCalendar.zone(type.timeZone) else {
            throw Self.error(400, "BadRequestException", "Invalid time zone: \(type.timeZone)", request)
        }
        // The same wall-clock time in the event type's zone, `interval` weeks apart.
        let offset = CalComCalendar.offset(zone, at: start)
        let starts = (0..<count).map { index in
            CalComCalendar.instant(localSeconds: start + offset + index * Int64(recurrence.everyWeeks) * 7 * 86_400, in: zone)
        }
        return try store.withLock { store in
            let now = SandboxTime.unixSeconds()
            let minutes = length ?? Int64(type.lengthInMinutes)
            for occurrence in starts where !store.isFree(type, account: account, start: occurrence, minutes: minutes, now: now) {
                throw Self.error(400, "BadRequestException", "User either already has booking at this time or is not available", request)
            }
            let created = SandboxTime.isoNow()
            let seriesUID = SandboxIDs.alphanumeric("", length: 22)
            return starts.map { occurrence in
                let booking = CalComStore.Booking(id: store.makeID(), uid: SandboxIDs.alphanumeric("", length: 22), account: account,
                                                  eventType: type, start: occurrence, end: occurrence + minutes * 60,
                                                  status: "accepted", attendee: attendee, metadata: metadata, createdAt: created,
                                                  updatedAt: created, recurringBookingUid: seriesUID)
                store.bookings[booking.uid] = booking
                store.order.append(booking.uid)
                return booking
            }
        }
    }

    /// Cancels `uid` (a booking, or a series by its `recurringBookingUid`) and answers what was
    /// cancelled: the booking, or the list when a cancellation takes several occurrences.
    func cancel(_ uid: String, account: String?, reason: String?, scope: CancelScope,
                request: HTTPRequest) throws -> (first: CalComStore.Booking, cancelled: [CalComStore.Booking], isList: Bool) {
        let now = SandboxTime.unixSeconds()
        let (targets, isList): ([String], Bool) = try store.withLock { store in
            guard let booking = store.bookings[uid] else {
                let series = store.bookings.series(uid)
                guard let head = series.first, account == nil || head.account == account else { throw notFound(uid, request) }
                let remaining = series.filter { $0.start >= now && $0.status == "accepted" }.map(\.uid)
                return (remaining.isEmpty ? [head.uid] : remaining, true)
            }
            guard account == nil || booking.account == account else { throw notFound(uid, request) }
            guard let seriesUID = booking.recurringBookingUid, scope != .one else { return ([uid], false) }
            let from = scope == .subsequent ? booking.start : now
            return ([uid] + store.bookings.series(seriesUID).filter { $0.start >= from && $0.uid != uid && $0.status == "accepted" }
                .map(\.uid), true)
        }
        let cancelled = try targets.map { try cancel($0, account: account, reason: reason, request: request) }
        return (cancelled[0], cancelled, isList)
    }
}
