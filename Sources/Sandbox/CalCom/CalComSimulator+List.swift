import HTTP
import Model
import Synchronization

/// `GET /v2/bookings` (`cal-api-version: 2024-08-13`): the account's bookings, filtered by
/// `eventTypeId`, `attendeeEmail`, `afterCreatedAt` / `beforeCreatedAt`, `afterStart` /
/// `beforeEnd`, sorted by `sortCreated` or `sortStart` (`asc`|`desc`, by start ascending
/// otherwise) and paged with `take` (1–250, 100 by default) and `skip`, in Cal.com's envelope with
/// its `pagination` object.
extension CalComSimulator {
    func listBookings(_ request: HTTPRequest) throws -> HTTPResponse {
        let account = try authenticate(request, version: "2024-08-13")
        let query = request.queryItems
        func instant(_ name: String) throws -> Int64? {
            guard let text = query[name] else { return nil }
            guard let millis = Timestamp.parseISO8601(text) else {
                throw Self.error(400, "BadRequestException", "\(name) must be an ISO 8601 date-time", request)
            }
            return millis
        }
        func number(_ name: String, default value: Int, in range: ClosedRange<Int>) throws -> Int {
            guard let text = query[name] else { return value }
            guard let number = Int(text), range.contains(number) else {
                throw Self.error(400, "BadRequestException", "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)", request)
            }
            return number
        }
        var eventType: Int64?
        if let text = query["eventTypeId"] {
            guard let id = Int64(text) else { throw Self.error(400, "BadRequestException", "eventTypeId must be a number", request) }
            eventType = id
        }
        let email = query["attendeeEmail"]?.lowercased()
        let createdAfter = try instant("afterCreatedAt"), createdBefore = try instant("beforeCreatedAt")
        let startAfter = try instant("afterStart"), endBefore = try instant("beforeEnd")
        let take = try number("take", default: 100, in: 1...250), skip = try number("skip", default: 0, in: 0...1_000_000)
        for name in ["sortCreated", "sortStart"] {
            if let order = query[name], order != "asc", order != "desc" {
                throw Self.error(400, "BadRequestException", "\(name) must be asc or desc", request)
            }
        }
        var matching = store.withLock { store in
            store.bookings.values.filter { booking in
                let created = Timestamp.parseISO8601(booking.createdAt) ?? 0
                return booking.account == account
                    && eventType.map { booking.eventType.id == $0 } ?? true
                    && email.map { booking.attendee["email"]?.stringValue?.lowercased() == $0 } ?? true
                    && createdAfter.map { created >= $0 } ?? true && createdBefore.map { created <= $0 } ?? true
                    && startAfter.map { booking.start * 1000 >= $0 } ?? true && endBefore.map { booking.end * 1000 <= $0 } ?? true
            }
        }
        if let order = query["sortCreated"] {
            matching.sort { order == "asc" ? ($0.createdAt, $0.id) < ($1.createdAt, $1.id) : ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
        } else {
            let descending = query["sortStart"] == "desc"
            matching.sort { descending ? ($0.start, $0.id) > ($1.start, $1.id) : ($0.start, $0.id) < ($1.start, $1.id) }
        }
        let page = matching.dropFirst(skip).prefix(take)
        let pages = (matching.count + take - 1) / take
        let pagination: JSON = [
            "totalItems": .int(Int64(matching.count)), "remainingItems": .int(Int64(max(0, matching.count - skip - page.count))),
            "returnedItems": .int(Int64(page.count)), "itemsPerPage": .int(Int64(take)), "currentPage": .int(Int64(skip / take + 1)),
            "totalPages": .int(Int64(pages)), "hasNextPage": .bool(skip + page.count < matching.count), "hasPreviousPage": .bool(skip > 0),
        ]
        return .json(["status": "success", "data": .array(page.map(CalComStore.json)), "pagination": pagination])
    }
}
