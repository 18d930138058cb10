import Agents
import Integration
import Model
import Storage
import Synchronization

/// The journal of one execution: step records not yet durable, and the effect journal agents
/// use. Everything pending is written before any effect is attempted, together with the
/// effect's intent, so after a crash the execution resumes exactly where the effects say it must.
final class ExecutionJournal: EffectJournal, Sendable {
    private let store: any InteractionStore
    let tenant: String
    let id: InteractionID
    /// The effect key base of the step now running (`int_...:state#visit`).
    private let state = Mutex<(pending: [StepRecord], keyBase: String, effects: [JSON], checkpoint: InteractionUpdate?)>(([], "", [], nil))

    /// Where the interaction stands while the current step runs (its state, the context before
    /// it): written with pending steps before an effect, so a crash resumes at this step.
    var checkpoint: InteractionUpdate? {
        get { state.withLock { $0.checkpoint } }
        set { state.withLock { $0.checkpoint = newValue } }
    }

    init(store: any InteractionStore, tenant: String, id: InteractionID) {
        self.store = store
        self.tenant = tenant
        self.id = id
    }

    func beginStep(keyBase: String) {
        state.withLock {
            $0.keyBase = keyBase
            $0.effects = []
        }
    }

    /// Effects of the current step, for its trace record.
    func stepEffects() -> [JSON] { state.withLock { $0.effects } }

    func append(_ step: StepRecord) { state.withLock { $0.pending.append(step) } }

    /// Takes the steps not yet written.
    func takePending() -> [StepRecord] {
        state.withLock { state in
            let taken = state.pending
            state.pending = []
            return taken
        }
    }

    /// Writes pending steps, `effects` and `update` in one transaction.
    func flush(effects: [EffectRecord] = [], update: InteractionUpdate?) async throws(StoreError) {
        let steps = takePending()
        guard !steps.isEmpty || !effects.isEmpty || update != nil else { return }
        do {
            try await store.commit(steps: steps, effects: effects, tenant: tenant, id: id, update: update)
        } catch {
            // Not written: keep them for the next attempt.
            state.withLock { $0.pending = steps + $0.pending }
            throw error
        }
    }

    func perform<T: Sendable>(_ name: String, provider: String, operation: String,
                              encode: @Sendable (T) -> JSON, decode: @Sendable (JSON) -> T?,
                              call: @Sendable () async throws -> T) async throws -> EffectResult<T> {
        let key = state.withLock { "\($0.keyBase)/\(name)" }
        if let existing = try await store.effect(tenant: tenant, key: key) {
            switch existing.state {
            case .done:
                if let value = decode(existing.result) {
                    note(key, provider, operation, "replayed")
                    return .replayed(value)
                }
            case .intended:
                note(key, provider, operation, "in_doubt")
                return .inDoubt
            case .failed:
                break  // it provably did not happen: try again
            }
        }
        let intent = EffectRecord(key: key, interactionID: id, provider: provider, operation: operation, state: .intended)
        try await flush(effects: [intent], update: checkpoint)
        do {
            let value = try await call()
            var done = intent
            done.state = .done
            done.result = encode(value)
            try await store.commit(steps: [], effects: [done], tenant: tenant, id: id, update: nil)
            note(key, provider, operation, "performed")
            return .performed(value)
        } catch {
            if let failure = error as? ProviderError, !failure.mayHaveTakenEffect {
                var failed = intent
                failed.state = .failed
                try? await store.commit(steps: [], effects: [failed], tenant: tenant, id: id, update: nil)
            }
            note(key, provider, operation, "failed")
            throw error
        }
    }

    private func note(_ key: String, _ provider: String, _ operation: String, _ result: String) {
        state.withLock {
            $0.effects.append(["key": .string(key), "provider": .string(provider), "operation": .string(operation),
                               "result": .string(result)])
        }
    }
}
