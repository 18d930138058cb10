import Model
import Native

extension PostgresStore {
    static func record(_ row: PQRows.Row) throws(StoreError) -> InteractionRecord {
        try StoredColumns.interaction(row.cells)
    }

    static func records(_ rows: PQRows) throws -> [InteractionRecord] {
        try rows.map { try record($0) }
    }

    /// The writer lane of an interaction: its writes commit in the order they were made.
    static func laneKey(_ tenant: String, _ id: InteractionID) -> String { "\(tenant)/\(id.rawValue)" }

    public func accept(_ interaction: Interaction, requestHash: String?) async throws(StoreError) -> AcceptResult {
        let now = Clock.unixMillis()
        // The accepting node runs it next: it is leased to this node from the start. A key seen
        // before (on any node) inserts nothing, and the stored interaction is read back.
        let inserted = try await writer.write(key: Self.laneKey(interaction.tenant, interaction.id), [PQCommand("""
            INSERT INTO interactions (tenant_id, id, channel, status, idempotency_key, request_hash, customer, input,
                                      created_at, updated_at, lease_owner)
            VALUES ($1, $2, $3, 'accepted', $4, $5, $6, $7, $8, $8, $9)
            ON CONFLICT (tenant_id, channel, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
            """, [
                .text(interaction.tenant), .text(interaction.id.rawValue), .text(interaction.channel.rawValue),
                interaction.idempotencyKey.map { .text($0) } ?? .null, requestHash.map { .text($0) } ?? .null,
                interaction.from.customerKey.map { .text($0) } ?? .null, .text(interaction.json.serialized()),
                .integer(now), .text(node),
            ])]) { rows throws(StoreError) in rows[0].affected == 1 }
        if inserted {
            return .accepted(InteractionRecord(interaction: interaction, createdAt: now, updatedAt: now, requestHash: requestHash))
        }
        guard let key = interaction.idempotencyKey else {
            throw StoreError(.corrupt, "interaction \(interaction.id) of tenant \(interaction.tenant) was not stored")
        }
        guard let existing = try await self.interaction(tenant: interaction.tenant, channel: interaction.channel, idempotencyKey: key) else {
            throw StoreError(.unavailable, "the interaction holding key \(key) for tenant \(interaction.tenant) could not be read")
        }
        return existing.requestHash == requestHash ? .replay(existing) : .keyReused(existing)
    }

    public func interaction(tenant: String, id: InteractionID) async throws(StoreError) -> InteractionRecord? {
        try await pool.run { connection in
            try Self.records(connection.query("SELECT \(StoredColumns.interaction) FROM interactions WHERE tenant_id = $1 AND id = $2",
                                              [.text(tenant), .text(id.rawValue)])).first
        }
    }

    public func interaction(tenant: String, channel: Channel, idempotencyKey: String) async throws(StoreError) -> InteractionRecord? {
        try await pool.run { connection in
            try Self.records(connection.query(
                "SELECT \(StoredColumns.interaction) FROM interactions WHERE tenant_id = $1 AND channel = $2 AND idempotency_key = $3",
                [.text(tenant), .text(channel.rawValue), .text(idempotencyKey)])).first
        }
    }

    public func interactions(tenant: String, status: InteractionStatus?, since: Int64?, customer: String?,
                             limit: Int, cursor: String?) async throws(StoreError) -> InteractionPage {
        let limit = max(1, min(limit, 500))
        // One statement per filter combination, each prepared once per connection.
        var sql = "SELECT \(StoredColumns.interaction) FROM interactions WHERE tenant_id = $1"
        var values: [PQValue] = [.text(tenant)]
        func add(_ condition: String, _ value: PQValue) {
            values.append(value)
            sql += " AND \(condition) $\(values.count)"
        }
        if let status { add("status =", .text(status.rawValue)) }
        if let customer, customer.contains("@") {
            // A customer with a phone is keyed by it: find them by the email they gave too.
            values += [.text(customer), .text(customer.lowercased())]
            sql += " AND (customer = $\(values.count - 1) OR lower(input::jsonb #>> '{from,email}') = $\(values.count))"
        } else if let customer {
            add("customer =", .text(customer))
        }
        if let cursor { add("id <", .text(cursor)) }
        if let since { add("created_at >=", .integer(since)) }
        values.append(.integer(Int64(limit + 1)))
        sql += " ORDER BY id DESC LIMIT $\(values.count)"
        let query = sql
        let arguments = values
        let records = try await pool.run { connection in try Self.records(connection.query(query, arguments)) }
        return InteractionPage(fetched: records, limit: limit)
    }

    public func steps(tenant: String, id: InteractionID) async throws(StoreError) -> [StepRecord] {
        try await pool.run { connection in
            try connection.query("""
                SELECT \(StoredColumns.step) FROM steps WHERE tenant_id = $1 AND interaction_id = $2 ORDER BY sequence
                """, [.text(tenant), .text(id.rawValue)]).map { StoredColumns.step($0.cells) }
        }
    }

    public func annotate(tenant: String, id: InteractionID, with delta: JSONObject) async throws(StoreError) {
        // Not fenced by the lease: annotations are what other interactions learn about this one.
        try await pool.run { connection in
            let current = try connection.run([
                PQCommand("BEGIN"),
                PQCommand("SELECT annotations FROM interactions WHERE tenant_id = $1 AND id = $2 FOR NO KEY UPDATE",
                          [.text(tenant), .text(id.rawValue)]),
            ])[1].get()
            guard let text = current.isEmpty ? nil : current.text(0, 0) else {
                _ = try connection.query("ROLLBACK")
                throw StoreError(.conflict, "no interaction \(id) for tenant \(tenant)")
            }
            var annotations = (try? JSONParser.parse(text).objectValue) ?? [:]
            annotations.merge(delta)
            let results = try connection.run([
                PQCommand("UPDATE interactions SET annotations = $1, updated_at = $2 WHERE tenant_id = $3 AND id = $4",
                          [.text(JSON.object(annotations).serialized()), .integer(Clock.unixMillis()), .text(tenant), .text(id.rawValue)]),
                PQCommand("COMMIT"),
            ])
            for result in results { _ = try result.get() }
        }
    }
}

extension PQRows.Row {
    /// The row for the shared row mappings.
    var cells: StoredColumns.Row { StoredColumns.Row { self.text($0) } }
}
