import Integration
import Model
import Synchronization
@testable import Agents

/// An effect journal in memory with the engine's rules (`ExecutionJournal`): a done effect is
/// replayed, an intent without a result is in doubt, a provable failure may be tried again.
/// Keeping one across two runs of a step is a re-run after a crash.
final class MemoryJournal: EffectJournal, Sendable {
    enum State: Equatable {
        case intended
        case done(JSON)
        case failed
    }

    let states = Mutex<[String: State]>([:])

    func perform<T: Sendable>(_ name: String, provider: String, operation: String, lookup: EffectLookup<T>?,
                              encode: @Sendable (T) -> JSON, decode: @Sendable (JSON) -> T?,
                              call: @Sendable () async throws -> T) async throws -> EffectResult<T> {
        switch states.withLock({ $0[name] }) {
        case .done(let json)?:
            if let value = decode(json) { return .replayed(value) }
        case .intended?:
            guard let lookup else { return .inDoubt }
            do {
                if let found = try await lookup.find(lookup.hints) {
                    states.withLock { $0[name] = .done(encode(found)) }
                    return .reconciled(found)
                }
            } catch {
                return .inDoubt
            }
        case .failed?, nil:
            break
        }
        states.withLock { $0[name] = .intended }
        do {
            let value = try await call()
            states.withLock { $0[name] = .done(encode(value)) }
            return .performed(value)
        } catch {
            if let failure = error as? ProviderError, !failure.mayHaveTakenEffect { states.withLock { $0[name] = .failed } }
            throw error
        }
    }
}
