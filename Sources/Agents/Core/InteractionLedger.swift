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
}

/// A ledger with nothing in it (dry runs of one interaction).
public struct EmptyLedger: InteractionLedger {
    public init() {}
    public func context(of id: InteractionID) async -> JSONObject? { nil }
    public func annotate(_ id: InteractionID, with delta: JSONObject) async throws {}
    public func bookings(service: String, from: Int64, to: Int64) async -> Int { 0 }
}
