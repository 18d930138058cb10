import Model

/// Read and annotate other interactions of the same tenant: a payment webhook finds the booking
/// it pays for, a cancellation finds the deposit to refund.
public protocol InteractionLedger: Sendable {
    /// The context of the tenant's interaction `id`, or nil if there is none.
    func context(of id: InteractionID) async -> JSONObject?
    /// Merges `delta` into that interaction's context (durably).
    func annotate(_ id: InteractionID, with delta: JSONObject) async throws
    /// Bookings of `service` starting in [from, to) (Unix seconds) that Switchboard made and that
    /// are not cancelled.
    func bookings(service: String, from: Int64, to: Int64) async -> Int
    /// What the customer (`Interaction.Party.customerKey`) booked before: completed interactions
    /// of theirs with a booking, among their most recent 100, and the latest booking's start.
    func visits(customer: String) async -> CustomerVisits
}

extension InteractionLedger {
    public func visits(customer: String) async -> CustomerVisits { CustomerVisits() }
}

/// A customer's earlier bookings with the tenant.
public struct CustomerVisits: Sendable, Equatable {
    public var count: Int
    /// Unix seconds of the latest booked start.
    public var lastStart: Int64?

    public init(count: Int = 0, lastStart: Int64? = nil) {
        self.count = count
        self.lastStart = lastStart
    }
}

/// A ledger with nothing in it (dry runs of one interaction).
public struct EmptyLedger: InteractionLedger {
    public init() {}
    public func context(of id: InteractionID) async -> JSONObject? { nil }
    public func annotate(_ id: InteractionID, with delta: JSONObject) async throws {}
    public func bookings(service: String, from: Int64, to: Int64) async -> Int { 0 }
}
