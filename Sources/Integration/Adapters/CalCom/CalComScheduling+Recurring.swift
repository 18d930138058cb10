import Model

/// Recurring bookings: `POST /v2/bookings` with `recurrenceCount` on an event type whose
/// "Recurring event" setting gives the interval; Cal.com answers with a list of
/// `RecurringBookingOutput_2024_08_13` sharing a `recurringBookingUid`, each with the same
/// metadata (so the series carries the call's key, as a single booking does). Cancelling with
/// `cancelSubsequentBookings` takes the occurrence and every later one.
extension CalComScheduling {
    public func createRecurringBooking(_ booking: BookingRequest, count: Int, context: CallContext) async throws -> [Booking] {
        let key = context.idempotencyKey(for: "calcom.createRecurringBooking")
        var body = Self.body(booking, key: key)
        body["recurrenceCount"] = .int(Int64(count))
        var request = makeRequest("POST", "/v2/bookings", version: Self.bookingsVersion)
        request.setJSON(.object(body))
        return try await perform(request, operation: "createRecurringBooking", safety: .unsafe, key: key, context: context,
                                 decode: Self.bookings)
    }

    public func cancelSubsequentBookings(uid: String, reason: String, context: CallContext) async throws -> [Booking] {
        var request = makeRequest("POST", "/v2/bookings/\(FormBody.percentEncode(uid))/cancel", version: Self.bookingsVersion)
        request.setJSON(["cancellationReason": .string(reason), "cancelSubsequentBookings": true])
        // Cancelling twice leaves the occurrences cancelled: safe to repeat.
        return try await perform(request, operation: "cancelSubsequentBookings", safety: .idempotent, key: nil, context: context,
                                 decode: Self.bookings)
    }

    /// A list of bookings, or one booking (an event type that is not recurring answers with one).
    static func bookings(_ data: JSON) -> [Booking]? {
        if let items = data.arrayValue {
            let bookings = items.compactMap(booking)
            return bookings.count == items.count && !bookings.isEmpty ? bookings.sorted { $0.start < $1.start } : nil
        }
        return booking(data).map { [$0] }
    }
}
