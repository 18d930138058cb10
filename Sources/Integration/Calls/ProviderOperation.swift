/// Whether repeating a call can duplicate its effect, which decides when it may be retried.
public enum RetrySafety: Sendable, Equatable {
    /// Repeating is harmless (reads, searches, PUT/PATCH to fixed values): retry any transient failure.
    case idempotent
    /// Repeating with the same key is answered from the provider's record (Stripe's Idempotency-Key).
    case idempotencyKeyed
    /// Repeating may duplicate the effect (an SMS, a booking): retry only when the provider provably
    /// did not act — no byte was sent, or it answered 429, which these providers never process.
    case unsafe
}

/// One kind of call an adapter makes: who it goes to, what it is called, and how to protect it.
struct ProviderOperation: Sendable {
    /// The provider kind: `stripe`, `twilio`, `hubspot`, `calcom`, `slack`, `smtp`, `http`.
    var provider: String
    /// The integration's configured name; resilience state and metrics are kept per tenant and this.
    var integration: String
    /// The adapter operation, such as `createRefund`.
    var name: String
    var safety: RetrySafety
    var policy: ResiliencePolicy
    /// Strings that must never appear in a record or a log (the adapter's credentials).
    var secrets: [String] = []
    /// The URL's path is a credential (Slack webhooks): records keep only the host.
    var pathIsSecret = false
    /// The key sent with the call, recorded with it.
    var idempotencyKey: String?
}
