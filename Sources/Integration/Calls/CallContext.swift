import Model
import Native

/// What every provider call needs from the engine: whose call it is, the key that makes a re-run
/// harmless, how long it may take, and where to write what happened.
///
/// ```swift
/// let context = CallContext(tenant: "acme", idempotencyKey: "\(interactionID):book",
///                           timeoutSeconds: 20, recorder: trace)
/// let booking = try await scheduling.createBooking(request, context: context)
/// ```
public struct CallContext: Sendable {
    /// The tenant the call is made for; resilience state and metrics are kept per tenant and provider.
    public var tenant: String
    /// Derived from (interaction, step): the same step re-run after a crash sends the same keys.
    public var idempotencyKey: String
    /// Monotonic nanoseconds (`Clock.monotonicNanos()`, or the runtime's injected clock) after which
    /// no attempt starts and no retry is waited for; nil means only the per-attempt timeout applies.
    public var deadline: UInt64?
    /// Receives one `ProviderCall` per call, success or failure.
    public var recorder: (any ProviderCallRecorder)?

    public init(tenant: String, idempotencyKey: String, deadline: UInt64? = nil, recorder: (any ProviderCallRecorder)? = nil) {
        self.tenant = tenant
        self.idempotencyKey = idempotencyKey
        self.deadline = deadline
        self.recorder = recorder
    }

    /// A context whose deadline is `timeoutSeconds` from now on the system's monotonic clock.
    public init(tenant: String, idempotencyKey: String, timeoutSeconds: Double, recorder: (any ProviderCallRecorder)? = nil) {
        self.init(tenant: tenant, idempotencyKey: idempotencyKey,
                  deadline: Clock.monotonicNanos() + UInt64(max(0, timeoutSeconds) * 1e9), recorder: recorder)
    }

    /// The key sent with one operation: the step's key and the operation's name, so two different
    /// operations of one step never share a key (Stripe refuses a key reused with other parameters).
    /// Keys longer than 255 bytes (Stripe's limit) are replaced by their SHA-256.
    public func idempotencyKey(for operation: String) -> String {
        let key = "\(idempotencyKey):\(operation)"
        if key.utf8.count <= 255 { return key }
        return "sha256-" + Hex.encode(Crypto.sha256(key))
    }

    /// The same context for a sub-step with its own keys (`suffix` is appended to the key base).
    public func forSubstep(_ suffix: String) -> CallContext {
        var copy = self
        copy.idempotencyKey = "\(idempotencyKey)/\(suffix)"
        return copy
    }
}
