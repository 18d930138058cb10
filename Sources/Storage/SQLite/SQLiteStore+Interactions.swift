import Model
import Native

extension SQLiteStore {
    static let columns = StoredColumns.interaction

    /// The interaction an Idempotency-Key names (the unique `interactions_idempotency` index).
    static let byIdempotencyKey = "SELECT \(columns) FROM interactions WHERE tenant_id = ? AND channel = ? AND idempotency_key = ?"

    /// Maps a row selected with `columns`.
    static func record(_ row: SQLiteStatement) throws -> InteractionRecord {
        try StoredColumns.interaction(row.cells)
    }

    public func accept(_ interaction: Interaction, requestHash: String?) async throws(StoreError) -> AcceptResult {
        try await writer.write { connection in
            if let key = interaction.idempotencyKey {
                let existing = try connection.prepared(Self.byIdempotencyKey)
                    .query([.text(interaction.tenant), .text(interaction.channel.rawValue), .text(key)], Self.record)
                    .first
                if let existing {
                    return existing.requestHash == requestHash ? .replay(existing) : .keyReused(existing)
                }
            }
            let now = Clock.unixMillis()
            try connection.prepared("""
                INSERT INTO interactions (tenant_id, id, channel, status, idempotency_key, request_hash, customer, input,
                                          created_at, updated_at)
                VALUES (?, ?, ?, 'accepted', ?, ?, ?, ?, ?, ?)
                """).run([
                    .text(interaction.tenant), .text(interaction.id.rawValue), .text(interaction.channel.rawValue),
                    interaction.idempotencyKey.map { .text($0) } ?? .null, requestHash.map { .text($0) } ?? .null,
                    interaction.from.customerKey.map { .text($0) } ?? .null, .text(interaction.json.serialized()),
                    .integer(now), .integer(now),
                ])
            return .accepted(InteractionRecord(interaction: interaction, createdAt: now, updatedAt: now, requestHash: requestHash))
        }
    }

    public func interaction(tenant: String, id: InteractionID) async throws(StoreError) -> InteractionRecord? {
        try await read { connection in
            try connection.prepared("SELECT \(Self.columns) FROM interactions WHERE tenant_id = ? AND id = ?")
                .query([.text(tenant), .text(id.rawValue)], Self.record).first
        }
    }

    public func interaction(tenant: String, channel: Channel, idempotencyKey: String) async throws(StoreError) -> InteractionRecord? {
        try await read { connection in
            try connection.prepared(Self.byIdempotencyKey)
                .query([.text(tenant), .text(channel.rawValue), .text(idempotencyKey)], Self.record).first
        }
    }

    public func interactions(tenant: String, status: InteractionStatus?, since: Int64?, customer: String?,
                             limit: Int, cursor: String?) async throws(StoreError) -> InteractionPage {
        let limit = max(1, min(limit, 500))
        return try await read { connection in
            // One statement per filter combination, each prepared once and cached.
            var sql = "SELECT \(Self.columns) FROM interactions WHERE tenant_id = ?"
            var values: [SQLiteStatement.Value] = [.text(tenant)]
            if let status { sql += " AND status = ?"; values.append(.text(status.rawValue)) }
            if let customer, customer.contains("@") {
                // A customer with a phone is keyed by it: find them by the email they gave too.
                sql += " AND (customer = ? OR lower(json_extract(input, '$.from.email')) = ?)"
                values += [.text(customer), .text(customer.lowercased())]
            } else if let customer {
                sql += " AND customer = ?"
                values.append(.text(customer))
            }
            if let cursor { sql += " AND id < ?"; values.append(.text(cursor)) }
            if let since { sql += " AND created_at >= ?"; values.append(.integer(since)) }
            sql += " ORDER BY id DESC LIMIT ?"
            values.append(.integer(Int64(limit + 1)))
            return InteractionPage(fetched: try connection.prepared(sql).query(values, Self.record), limit: limit)
        }
    }

    public func steps(tenant: String, id: InteractionID) async throws(StoreError) -> [StepRecord] {
        try await read { connection in
            try connection.prepared("""
                SELECT \(StoredColumns.step) FROM steps WHERE tenant_id = ? AND interaction_id = ? ORDER BY sequence
                """).query([.text(tenant), .text(id.rawValue)]) { StoredColumns.step($0.cells) }
        }
    }

    public func commit(steps: [StepRecord], effects: [EffectRecord], tenant: String, id: InteractionID,
                       update: InteractionUpdate?) async throws(StoreError) {
        // Serialised here, on the caller's task: the single writer thread only binds and steps.
        let rows = Self.rows(steps: steps, effects: effects, tenant: tenant, id: id, update: update)
        try await writer.write { connection in try Self.apply(rows, on: connection) }
    }

    public func commitSoon(steps: [StepRecord], effects: [EffectRecord], tenant: String, id: InteractionID,
                           update: InteractionUpdate?) {
        let rows = Self.rows(steps: steps, effects: effects, tenant: tenant, id: id, update: update)
        writer.enqueue { connection in try Self.apply(rows, on: connection) }
    }

    /// The bound values of one commit, ready for the writer.
    struct CommitRows: Sendable {
        var steps: [[SQLiteStatement.Value]]
        var effects: [[SQLiteStatement.Value]]
        var update: [SQLiteStatement.Value]?
        var label: String
    }

    static func rows(steps: [StepRecord], effects: [EffectRecord], tenant: String, id: InteractionID,
                     update: InteractionUpdate?) -> CommitRows {
        let now = Clock.unixMillis()
        return CommitRows(
            steps: steps.map { step in
                [.text(tenant), .text(id.rawValue), .integer(Int64(step.sequence)), .text(step.state), .text(step.agent),
                 .text(step.outcome?.rawValue ?? StoredColumns.parkedOutcome), .integer(step.startedAt), .integer(step.durationMicros),
                 .text(step.detail.serialized())]
            },
            effects: effects.map { effect in
                [.text(tenant), .text(effect.key), .text(effect.interactionID.rawValue), .text(effect.provider),
                 .text(effect.operation), .text(effect.state.rawValue), .text(effect.result.serialized()), .integer(now)]
            },
            update: update.map { update in
                [.text(update.status.rawValue), update.flow.map { .text($0) } ?? .null, update.state.map { .text($0) } ?? .null,
                 update.configVersion.map { .text($0) } ?? .null,
                 update.context.map { .text(JSON.object($0).serialized()) } ?? .null,
                 update.reason.map { .text($0) } ?? .null, update.attempts.map { .integer(Int64($0)) } ?? .null,
                 update.wakeAt.map { .integer($0) } ?? .null, .integer(update.at),
                 update.bookedService.map { .text($0) } ?? .null, update.bookedStart.map { .text($0) } ?? .null,
                 .text(tenant), .text(id.rawValue)]
            },
            label: "interaction \(id) of tenant \(tenant)")
    }

    static func apply(_ rows: CommitRows, on connection: SQLiteConnection) throws {
        for values in rows.steps {
            try connection.prepared("""
                INSERT INTO steps (tenant_id, interaction_id, sequence, state, agent, outcome, started_at, duration_us, detail)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, interaction_id, sequence) DO UPDATE SET state = excluded.state, agent = excluded.agent,
                    outcome = excluded.outcome, started_at = excluded.started_at, duration_us = excluded.duration_us,
                    detail = excluded.detail
                """).run(values)
        }
        for values in rows.effects {
            try connection.prepared("""
                INSERT INTO effects (tenant_id, key, interaction_id, provider, operation, state, result, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, key) DO UPDATE SET state = excluded.state, result = excluded.result,
                    updated_at = excluded.updated_at
                """).run(values)
        }
        guard let update = rows.update else { return }
        try connection.prepared("""
            UPDATE interactions SET status = ?, flow = coalesce(?, flow), state = coalesce(?, state),
                config_version = coalesce(?, config_version), context = coalesce(?, context), reason = ?,
                attempts = coalesce(?, attempts), wake_at = ?, updated_at = ?,
                booked_service = coalesce(?, booked_service), booked_start = coalesce(?, booked_start)
            WHERE tenant_id = ? AND id = ?
            """).run(update)
        guard connection.changes == 1 else { throw StoreError(.conflict, "no \(rows.label)") }
    }

    public func annotate(tenant: String, id: InteractionID, with delta: JSONObject) async throws(StoreError) {
        try await writer.write { connection in
            let current = try connection.prepared("SELECT annotations FROM interactions WHERE tenant_id = ? AND id = ?")
                .query([.text(tenant), .text(id.rawValue)]) { $0.text(0) ?? "{}" }
            guard let text = current.first else { throw StoreError(.conflict, "no interaction \(id) for tenant \(tenant)") }
            var annotations = (try? JSONParser.parse(text).objectValue) ?? [:]
            annotations.merge(delta)
            try connection.prepared("UPDATE interactions SET annotations = ?, updated_at = ? WHERE tenant_id = ? AND id = ?")
                .run([.text(JSON.object(annotations).serialized()), .integer(Clock.unixMillis()), .text(tenant), .text(id.rawValue)])
        }
    }

    /// Waits that have come due (retries, reply and approval timeouts), soonest first: the
    /// `interactions_waiting` index, whose WHERE this repeats word for word.
    static let dueWaiting = """
        SELECT \(columns) FROM interactions
        WHERE status IN ('retrying', 'awaiting_reply', 'awaiting_approval') AND wake_at <= ?
        ORDER BY wake_at LIMIT ?
        """

    /// Work accepted or started and not finished (a crash left it), oldest first: the
    /// `interactions_active` index.
    static let dueActive = """
        SELECT \(columns) FROM interactions WHERE status IN ('accepted', 'running') ORDER BY created_at LIMIT ?
        """

    public func due(now: Int64, limit: Int, includeUnfinished: Bool) async throws(StoreError) -> [InteractionRecord] {
        try await read { connection in
            // The engine's scheduler spans tenants by design; every record carries its tenant.
            let waiting = try connection.prepared(Self.dueWaiting).query([.integer(now), .integer(Int64(limit))], Self.record)
            guard includeUnfinished else { return waiting }
            // Two index ranges merged here: one statement with OR between them scans the table.
            let active = try connection.prepared(Self.dueActive).query([.integer(Int64(limit))], Self.record)
            return (waiting + active).sorted { ($0.wakeAt ?? $0.createdAt) < ($1.wakeAt ?? $1.createdAt) }.prefix(limit).map { $0 }
        }
    }
}

extension SQLiteStore {
    /// One node only: there is nothing to take, the record is read as it stands.
    public func claim(tenant: String, id: InteractionID) async throws(StoreError) -> InteractionRecord? {
        try await interaction(tenant: tenant, id: id)
    }
}
