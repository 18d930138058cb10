import Agents
import Native
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
    private let state = Mutex<State>(State())

    private struct State {
        var pending: [StepRecord] = []
        /// Effect results not yet written: they go with the step record that follows.
        var pendingEffects: [EffectRecord] = []
        var keyBase = ""
        var effects: [JSON] = []
        var checkpoint: InteractionUpdate?
    }

    /// True for an execution that has never run before: none of its effect keys can exist yet,
    /// so the journal need not look them up.
    let isFresh: Bool

    /// Where the interaction stands while the current step runs (its state, the context before
    /// it): written with pending steps before an effect, so a crash resumes at this step.
    var checkpoint: InteractionUpdate? {
        get { state.withLock { $0.checkpoint } }
        set { state.withLock { $0.checkpoint = newValue } }
    }

    init(store: any InteractionStore, tenant: String, id: InteractionID, isFresh: Bool) {
        self.store = store
        self.tenant = tenant
        self.id = id
        self.isFresh = isFresh
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

    /// Takes the steps and effect results not yet written.
    private func takePending() -> (steps: [StepRecord], effects: [EffectRecord]) {
        state.withLock { state in
            defer {
                state.pending = []
                state.pendingEffects = []
            }
            return (state.pending, state.pendingEffects)
        }
    }

    /// Writes what is pending, `effects` and `update` in one transaction, and waits for it.
    func flush(effects: [EffectRecord] = [], update: InteractionUpdate?) async throws(StoreError) {
        let (steps, pendingEffects) = takePending()
        let allEffects = pendingEffects + effects
        guard !steps.isEmpty || !allEffects.isEmpty || update != nil else { return }
        do {
            try await store.commit(steps: steps, effects: allEffects, tenant: tenant, id: id, update: update)
        } catch {
            // Not written: keep them for the next attempt.
            state.withLock {
                $0.pending = steps + $0.pending
                $0.pendingEffects = pendingEffects + $0.pendingEffects
            }
            throw error
        }
    }

    /// Queues the pending step records and effect results without waiting: the next awaited write
    /// (an effect's intent, a wait, the end) commits after them, in order. The interaction's row
    /// keeps its last checkpoint meanwhile: a crash resumes there and the step replays its
    /// recorded effects (its record is replaced, not duplicated).
    func flushSoon() {
        let (steps, effects) = takePending()
        guard !steps.isEmpty || !effects.isEmpty else { return }
        store.commitSoon(steps: steps, effects: effects, tenant: tenant, id: id, update: nil)
    }

    func perform<T: Sendable>(_ name: String, provider: String, operation: String, lookup: EffectLookup<T>?,
                              encode: @Sendable (T) -> JSON, decode: @Sendable (JSON) -> T?,
                              call: @Sendable () async throws -> T) async throws -> EffectResult<T> {
        let key = state.withLock { "\($0.keyBase)/\(name)" }
        if !isFresh, let existing = try await store.effect(tenant: tenant, key: key) {
            switch existing.state {
            case .done:
                if let value = decode(existing.result) {
                    note(key, provider, operation, "replayed")
                    return .replayed(value)
                }
            case .intended:
                guard let lookup else {
                    note(key, provider, operation, "in_doubt")
                    return .inDoubt
                }
                do {
                    if let found = try await lookup.find(existing.result.objectValue ?? [:]) {
                        settle(existing, as: .done, result: encode(found))
                        note(key, provider, operation, "reconciled", lookup: "found at the provider")
                        return .reconciled(found)
                    }
                    // Provably not made: make it now (below), under a fresh intent.
                    note(key, provider, operation, "looked_up", lookup: "not at the provider; made now")
                } catch {
                    note(key, provider, operation, "in_doubt", lookup: "the provider could not tell: \(error)")
                    return .inDoubt
                }
            case .failed:
                break  // it provably did not happen: try again
            }
        }
        var hints = lookup?.hints ?? [:]
        if lookup != nil { hints["intended_at"] = .int(Clock.unixMillis()) }
        let intent = EffectRecord(key: key, interactionID: id, provider: provider, operation: operation, state: .intended,
                                  result: hints.isEmpty ? .null : .object(hints))
        try await flush(effects: [intent], update: checkpoint)
        do {
            let value = try await call()
            settle(intent, as: .done, result: encode(value))
            note(key, provider, operation, "performed")
            return .performed(value)
        } catch {
            guard let failure = error as? ProviderError, failure.mayHaveTakenEffect else {
                if error is ProviderError { settle(intent, as: .failed, result: intent.result) }
                note(key, provider, operation, "failed")
                throw error
            }
            // The answer was lost (a timeout, a 5xx, a broken connection): the provider may have
            // acted. Ask it now. Not found is no proof yet (the request may still be running
            // there), so the intent stays and the next run asks again before calling.
            if let lookup, let found = try? await lookup.find(hints) {
                settle(intent, as: .done, result: encode(found))
                note(key, provider, operation, "reconciled", lookup: "the answer was lost (\(failure.kind.rawValue)); found at the provider")
                return .reconciled(found)
            }
            note(key, provider, operation, "failed", lookup: lookup == nil ? nil : "the answer was lost; not found at the provider yet")
            throw error
        }
    }

    /// Records what became of an effect; written with the step record that follows.
    private func settle(_ effect: EffectRecord, as outcome: EffectRecord.State, result: JSON) {
        var settled = effect
        settled.state = outcome
        settled.result = result
        state.withLock { $0.pendingEffects.append(settled) }
    }

    private func note(_ key: String, _ provider: String, _ operation: String, _ result: String, lookup: String? = nil) {
        var entry: JSONObject = ["key": .string(key), "provider": .string(provider), "operation": .string(operation),
                                 "result": .string(result)]
        if let lookup { entry["lookup"] = .string(lookup) }
        state.withLock { $0.effects.append(.object(entry)) }
    }
}
