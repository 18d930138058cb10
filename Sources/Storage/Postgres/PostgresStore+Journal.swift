import Model
import Native

extension PostgresStore {
    public func commit(steps: [StepRecord], effects: [EffectRecord], tenant: String, id: InteractionID,
                       update: InteractionUpdate?) async throws(StoreError) {
        let journal = journalCommands(steps: steps, effects: effects, tenant: tenant, id: id, update: update)
        try await writer.write(key: Self.laneKey(tenant, id), journal.commands, check: journal.check)
    }

    public func commitSoon(steps: [StepRecord], effects: [EffectRecord], tenant: String, id: InteractionID,
                           update: InteractionUpdate?) {
        let journal = journalCommands(steps: steps, effects: effects, tenant: tenant, id: id, update: update)
        writer.enqueue(key: Self.laneKey(tenant, id), journal.commands) { rows throws(StoreError) in try journal.check(rows) }
    }

    /// The statements of one journal write, and the check of their results.
    struct JournalCommands: Sendable {
        var commands: [PQCommand]
        var check: @Sendable ([PQRows]) throws(StoreError) -> Void
    }

    /// A journal write is fenced by the lease: it first locks the interaction's row if this node
    /// leases it, and every statement after is guarded by the same condition, so a node that has
    /// lost the lease (it stalled past its heartbeat and another node took the interaction over)
    /// writes nothing and learns it from the check. An update to a status other than accepted or
    /// running releases the lease with it.
    func journalCommands(steps: [StepRecord], effects: [EffectRecord], tenant: String, id: InteractionID,
                         update: InteractionUpdate?) -> JournalCommands {
        let now = Clock.unixMillis()
        let owner = PQValue.text(node)
        var commands = [PQCommand("SELECT 1 FROM interactions WHERE tenant_id = $1 AND id = $2 AND lease_owner = $3 FOR NO KEY UPDATE",
                                  [.text(tenant), .text(id.rawValue), owner])]
        for step in steps {
            commands.append(PQCommand("""
                INSERT INTO steps (tenant_id, interaction_id, sequence, state, agent, outcome, started_at, duration_us, detail)
                SELECT $1, $2, $3::integer, $4, $5, $6, $7::bigint, $8::bigint, $9
                WHERE EXISTS (SELECT 1 FROM interactions WHERE tenant_id = $1 AND id = $2 AND lease_owner = $10)
                ON CONFLICT (tenant_id, interaction_id, sequence) DO UPDATE SET state = excluded.state, agent = excluded.agent,
                    outcome = excluded.outcome, started_at = excluded.started_at, duration_us = excluded.duration_us,
                    detail = excluded.detail
                """, [.text(tenant), .text(id.rawValue), .integer(Int64(step.sequence)), .text(step.state), .text(step.agent),
                      .text(step.outcome?.rawValue ?? StoredColumns.parkedOutcome), .integer(step.startedAt),
                      .integer(step.durationMicros), .text(step.detail.serialized()), owner]))
        }
        for effect in effects {
            commands.append(PQCommand("""
                INSERT INTO effects (tenant_id, key, interaction_id, provider, operation, state, result, updated_at)
                SELECT $1, $2, $3, $4, $5, $6, $7, $8::bigint
                WHERE EXISTS (SELECT 1 FROM interactions WHERE tenant_id = $1 AND id = $9 AND lease_owner = $10)
                ON CONFLICT (tenant_id, key) DO UPDATE SET state = excluded.state, result = excluded.result,
                    updated_at = excluded.updated_at
                """, [.text(tenant), .text(effect.key), .text(effect.interactionID.rawValue), .text(effect.provider),
                      .text(effect.operation), .text(effect.state.rawValue), .text(effect.result.serialized()), .integer(now),
                      .text(id.rawValue), owner]))
        }
        if let update {
            commands.append(PQCommand("""
                UPDATE interactions SET status = $1, flow = coalesce($2, flow), state = coalesce($3, state),
                    config_version = coalesce($4, config_version), context = coalesce($5, context), reason = $6,
                    attempts = coalesce($7::integer, attempts), wake_at = $8::bigint, updated_at = $9::bigint,
                    lease_owner = CASE WHEN $1 IN ('accepted', 'running') THEN lease_owner END,
                    booked_service = coalesce($13, booked_service), booked_start = coalesce($14, booked_start)
                WHERE tenant_id = $10 AND id = $11 AND lease_owner = $12
                """, [.text(update.status.rawValue), update.flow.map { .text($0) } ?? .null, update.state.map { .text($0) } ?? .null,
                      update.configVersion.map { .text($0) } ?? .null,
                      update.context.map { .text(JSON.object($0).serialized()) } ?? .null,
                      update.reason.map { .text($0) } ?? .null, update.attempts.map { .integer(Int64($0)) } ?? .null,
                      update.wakeAt.map { .integer($0) } ?? .null, .integer(update.at), .text(tenant), .text(id.rawValue), owner,
                      update.bookedService.map { .text($0) } ?? .null, update.bookedStart.map { .text($0) } ?? .null]))
        }
        let node = self.node
        return JournalCommands(commands: commands) { rows throws(StoreError) in
            guard rows[0].rowCount == 1, update == nil || rows[rows.count - 1].affected == 1 else {
                throw StoreError(.conflict, "interaction \(id) of tenant \(tenant) is not leased to node \(node): "
                                 + "it does not exist, or another node has taken it over; this node stops running it")
            }
        }
    }
}
