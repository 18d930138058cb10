import Agents
import Model
import Storage

/// Operator actions, and taking an interaction to run it here and now: in this process, and on a
/// shared store with its lease, so that no other node runs it meanwhile.
extension Engine {
    /// Approves or rejects an interaction waiting for approval, and runs it on.
    public func decide(tenant: String, id: InteractionID, approve: Bool, by: String, note: String?) async throws(EngineError)
        -> InteractionRecord {
        let record = try await take(tenant: tenant, id: id)
        guard record.status == .awaitingApproval else {
            await giveUp(record)
            throw EngineError(.conflict, "interaction \(id) is \(record.status.rawValue), not awaiting_approval")
        }
        return try await runTaken(record, resumption: .approval(approved: approve, by: by, note: note))
    }

    /// Runs a failed or dead interaction again: a dead one from the step that gave up, a failed
    /// one from the start of its flow (with fresh effect keys, so it really acts again). `by`
    /// names who asked (an operator key's name), for the interaction's reason.
    public func replay(tenant: String, id: InteractionID, by: String = "an operator") async throws(EngineError) -> InteractionRecord {
        var record = try await take(tenant: tenant, id: id)
        guard record.status == .failed || record.status == .dead else {
            await giveUp(record)
            throw EngineError(.conflict, "interaction \(id) is \(record.status.rawValue); only failed or dead ones can be replayed")
        }
        if record.status == .failed {
            var context = record.context
            var state = EngineState(context)
            state.compensations = []
            state.confirmedCustomer = false
            state.notifiedOperator = false
            state.updatedRecord = false
            context[EngineState.key] = state.json
            context["compensation"] = nil
            record.context = context
            // Back to the start of the flow; the visit counts stay, so effects get fresh keys.
            record.state = record.flow.flatMap { tenants.snapshot(for: TenantID(tenant))?.config.flows[$0]?.start }
        }
        record.attempts = 0
        do {
            try await core.store.commit(step: nil, tenant: tenant, id: id,
                                        update: InteractionUpdate(status: .accepted, state: record.state, context: record.context,
                                                                  reason: "replayed by \(by)", attempts: 0))
        } catch {
            await giveUp(record)
            throw EngineError(.unavailable, error.description)
        }
        record.status = .accepted
        return try await runTaken(record, resumption: nil)
    }

    /// Takes `id` to run it here: marks it running in this process and claims it from the store
    /// (a lease, on a shared store). Returns the record as it now stands.
    func take(tenant: String, id: InteractionID) async throws(EngineError) -> InteractionRecord {
        guard claim(tenant, id) else { throw EngineError(.conflict, "interaction \(id) is running; try again shortly") }
        let taken: InteractionRecord?
        do {
            taken = try await core.store.claim(tenant: tenant, id: id)
        } catch {
            release(tenant, id)
            throw EngineError(.unavailable, error.description)
        }
        if let taken { return taken }
        release(tenant, id)
        guard (try? await core.store.interaction(tenant: tenant, id: id)) != nil else {
            throw EngineError(.notFound, "no interaction \(id)")
        }
        throw EngineError(.conflict, "interaction \(id) is running on another node; try again shortly")
    }

    /// Like `take`, but nil when it is running here or on another node, or does not exist.
    func takeIfIdle(tenant: String, id: InteractionID) async throws(StoreError) -> InteractionRecord? {
        guard claim(tenant, id) else { return nil }
        let taken: InteractionRecord?
        do {
            taken = try await core.store.claim(tenant: tenant, id: id)
        } catch {
            release(tenant, id)
            throw error
        }
        if taken == nil { release(tenant, id) }
        return taken
    }

    /// Lets go of a taken interaction that will not run after all.
    func giveUp(_ record: InteractionRecord) async {
        release(record.tenant, record.id)
        try? await core.leases?.release(tenant: record.tenant, id: record.id)
    }

    /// Runs a taken `record` in the caller's task and returns where it stopped.
    private func runTaken(_ record: InteractionRecord, resumption: Resumption?) async throws(EngineError) -> InteractionRecord {
        guard let snapshot = tenants.snapshot(for: TenantID(record.tenant)) else {
            await giveUp(record)
            throw EngineError(.unavailable, "tenant \(record.tenant) has no loaded configuration")
        }
        defer { release(record.tenant, record.id) }
        do {
            var execution = Execution(core: core, snapshot: snapshot, record: record)
            let result = try await execution.run(resumption: resumption)
            notifyWaiters(result)
            return result
        } catch {
            throw EngineError(.unavailable, error.description)
        }
    }
}
