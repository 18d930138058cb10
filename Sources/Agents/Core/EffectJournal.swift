import Model

/// Performs side effects exactly once across crashes.
///
/// For a provider without idempotency keys (Twilio, Cal.com, Slack, SMTP, HubSpot writes) the
/// journal durably records the intent before the call and the result after it. On a re-run the
/// recorded result is returned instead of calling again; an intent without a result (a crash
/// during the call) is reported as in doubt and never repeated.
public protocol EffectJournal: Sendable {
    /// Runs `call` unless the effect `name` of this step already happened.
    ///
    /// - Parameters:
    ///   - name: the effect within the step (`sms`, `booking`); with the interaction and state it
    ///     forms the effect key.
    ///   - encode/decode: how the result is stored for replays.
    func perform<T: Sendable>(_ name: String, provider: String, operation: String,
                              encode: @Sendable (T) -> JSON, decode: @Sendable (JSON) -> T?,
                              call: @Sendable () async throws -> T) async throws -> EffectResult<T>
}

public enum EffectResult<T: Sendable>: Sendable {
    /// Called now.
    case performed(T)
    /// Called before (by an earlier run of this step); here is what it returned.
    case replayed(T)
    /// An earlier run recorded the intent but not the result: it may or may not have happened.
    case inDoubt

    public var value: T? {
        switch self {
        case .performed(let value), .replayed(let value): return value
        case .inDoubt: return nil
        }
    }
}

/// A journal that calls every time (dry runs and tests of single agents).
public struct UnjournaledEffects: EffectJournal {
    public init() {}

    public func perform<T: Sendable>(_ name: String, provider: String, operation: String,
                                     encode: @Sendable (T) -> JSON, decode: @Sendable (JSON) -> T?,
                                     call: @Sendable () async throws -> T) async throws -> EffectResult<T> {
        .performed(try await call())
    }
}
