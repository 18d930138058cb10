import Model

/// Performs side effects exactly once across crashes.
///
/// For a provider without idempotency keys (Twilio, Cal.com, Slack, SMTP, HubSpot writes) the
/// journal durably records the intent before the call and the result after it. On a re-run the
/// recorded result is returned instead of calling again. An intent without a result (a crash
/// during the call) is looked up at the provider when the effect has a `lookup`: found, the step
/// goes on with what the provider holds; provably absent, the call is made. Without a lookup, or
/// when the lookup fails, it is reported as in doubt and never repeated.
public protocol EffectJournal: Sendable {
    /// Runs `call` unless the effect `name` of this step already happened.
    ///
    /// - Parameters:
    ///   - name: the effect within the step (`sms`, `booking`); with the interaction and state it
    ///     forms the effect key.
    ///   - lookup: how to find the effect at the provider after a crash during the call.
    ///   - encode/decode: how the result is stored for replays.
    func perform<T: Sendable>(_ name: String, provider: String, operation: String, lookup: EffectLookup<T>?,
                              encode: @Sendable (T) -> JSON, decode: @Sendable (JSON) -> T?,
                              call: @Sendable () async throws -> T) async throws -> EffectResult<T>
}

extension EffectJournal {
    /// An effect nobody can look up (Slack, SMTP): in doubt after a crash during the call.
    public func perform<T: Sendable>(_ name: String, provider: String, operation: String,
                                     encode: @Sendable (T) -> JSON, decode: @Sendable (JSON) -> T?,
                                     call: @Sendable () async throws -> T) async throws -> EffectResult<T> {
        try await perform(name, provider: provider, operation: operation, lookup: nil, encode: encode, decode: decode, call: call)
    }
}

/// How an effect left in doubt is found at the provider.
public struct EffectLookup<T: Sendable>: Sendable {
    /// Written with the intent, before the call: what recognises the effect later (a digest of a
    /// message's body, its recipient). The journal adds `intended_at` (Unix ms).
    public var hints: JSONObject
    /// Asks the provider with the recorded hints: the effect as the provider holds it, or nil when
    /// it provably did not happen. Throws when the provider cannot tell.
    public var find: @Sendable (_ hints: JSONObject) async throws -> T?

    public init(hints: JSONObject = [:], find: @escaping @Sendable (_ hints: JSONObject) async throws -> T?) {
        self.hints = hints
        self.find = find
    }
}

public enum EffectResult<T: Sendable>: Sendable {
    /// Called now.
    case performed(T)
    /// Called before (by an earlier run of this step); here is what it returned.
    case replayed(T)
    /// A crash interrupted an earlier call; the provider was asked and holds this.
    case reconciled(T)
    /// An earlier run recorded the intent but not the result, and the provider could not be
    /// asked: it may or may not have happened.
    case inDoubt

    public var value: T? {
        switch self {
        case .performed(let value), .replayed(let value), .reconciled(let value): return value
        case .inDoubt: return nil
        }
    }
}

/// A journal that calls every time (dry runs and tests of single agents).
public struct UnjournaledEffects: EffectJournal {
    public init() {}

    public func perform<T: Sendable>(_ name: String, provider: String, operation: String, lookup: EffectLookup<T>?,
                                     encode: @Sendable (T) -> JSON, decode: @Sendable (JSON) -> T?,
                                     call: @Sendable () async throws -> T) async throws -> EffectResult<T> {
        .performed(try await call())
    }
}
