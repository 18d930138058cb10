/// Calendars and bookings (Cal.com API v2).
public protocol SchedulingProvider: Sendable {
    /// Free start times of an event type between two instants.
    func availableSlots(_ query: SlotQuery, context: CallContext) async throws -> [Slot]
    /// - Throws: `ProviderError` of kind `.conflict` when the slot is no longer free.
    func createBooking(_ request: BookingRequest, context: CallContext) async throws -> Booking
    func cancelBooking(uid: String, reason: String, context: CallContext) async throws -> Booking
    /// Books `count` occurrences of `request.eventTypeID`, an event type that repeats (its
    /// interval is the event type's): the occurrences, first first, sharing `recurringBookingUid`.
    /// - Throws: `ProviderError` of kind `.conflict` when any occurrence is not free (nothing is booked).
    func createRecurringBooking(_ request: BookingRequest, count: Int, context: CallContext) async throws -> [Booking]
    /// Cancels the occurrence `uid` of a series and every later one: what was cancelled.
    func cancelSubsequentBookings(uid: String, reason: String, context: CallContext) async throws -> [Booking]
    /// Moves a booking; the provider answers with the new booking (a new `uid`).
    func rescheduleBooking(uid: String, start: String, reason: String?, context: CallContext) async throws -> Booking
    /// The bookings an earlier `createBooking` (or `createRecurringBooking`) made with
    /// `context`'s key, looked for among `eventTypeID`'s bookings created since `createdAfter`
    /// (ISO 8601): empty when it made none. For a booking call a crash interrupted.
    func bookings(madeBy operation: BookingOperation, eventTypeID: Int64, createdAfter: String,
                  context: CallContext) async throws -> [Booking]
}

/// The calls that make bookings, as `bookings(madeBy:…)` looks their effects up.
public enum BookingOperation: String, Sendable {
    case createBooking, createRecurringBooking
}

extension SchedulingProvider {
    /// A calendar that cannot be searched: the lookup fails, and the booking stays in doubt.
    public func bookings(madeBy operation: BookingOperation, eventTypeID: Int64, createdAfter: String,
                         context: CallContext) async throws -> [Booking] {
        throw ProviderError(kind: .permanent, provider: "scheduling", operation: "findBookings",
                            message: "this calendar cannot be searched for a booking's key", mayHaveTakenEffect: false)
    }
}

public struct SlotQuery: Sendable, Equatable {
    public var eventTypeID: Int64
    /// ISO-8601 instants or dates (`2026-11-23T00:00:00Z`, `2026-11-23`).
    public var start: String
    public var end: String
    /// IANA zone the slots are expressed in (`America/New_York`); nil for UTC.
    public var timeZone: String?

    public init(eventTypeID: Int64, start: String, end: String, timeZone: String? = nil) {
        self.eventTypeID = eventTypeID
        self.start = start
        self.end = end
        self.timeZone = timeZone
    }
}

public struct Slot: Sendable, Equatable {
    /// ISO-8601 with offset, as the provider wrote it.
    public var start: String
    public var end: String?

    public init(start: String, end: String? = nil) {
        self.start = start
        self.end = end
    }
}

public struct Attendee: Sendable, Equatable {
    public var name: String
    public var email: String?
    /// E.164.
    public var phoneNumber: String?
    public var timeZone: String

    public init(name: String, email: String? = nil, phoneNumber: String? = nil, timeZone: String) {
        self.name = name
        self.email = email
        self.phoneNumber = phoneNumber
        self.timeZone = timeZone
    }
}

public struct BookingRequest: Sendable, Equatable {
    public var eventTypeID: Int64
    /// ISO-8601 in UTC (`2026-11-23T09:00:00Z`).
    public var start: String
    public var attendee: Attendee
    public var lengthInMinutes: Int?
    public var metadata: [String: String]

    public init(eventTypeID: Int64, start: String, attendee: Attendee, lengthInMinutes: Int? = nil,
                metadata: [String: String] = [:]) {
        self.eventTypeID = eventTypeID
        self.start = start
        self.attendee = attendee
        self.lengthInMinutes = lengthInMinutes
        self.metadata = metadata
    }
}

public struct Booking: Sendable, Equatable {
    public var uid: String
    public var id: Int64?
    /// `accepted`, `pending`, `cancelled`, `rejected`.
    public var status: String
    public var start: String
    public var end: String?
    /// Shared by the occurrences of a recurring booking; nil for a one-off.
    public var recurringBookingUid: String?

    public init(uid: String, id: Int64? = nil, status: String, start: String, end: String? = nil, recurringBookingUid: String? = nil) {
        self.uid = uid
        self.id = id
        self.status = status
        self.start = start
        self.end = end
        self.recurringBookingUid = recurringBookingUid
    }
}
