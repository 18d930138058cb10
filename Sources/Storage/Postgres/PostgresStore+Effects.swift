import Model
import Native

extension PostgresStore {
    public func effect(tenant: String, key: String) async throws(StoreError) -> EffectRecord? {
        try await pool.run { connection in
            try connection.query("""
                SELECT interaction_id, provider, operation, state, result FROM effects WHERE tenant_id = $1 AND key = $2
                """, [.text(tenant), .text(key)]).map { StoredColumns.effect(key: key, $0.cells) }.first ?? nil
        }
    }

    public func bookings(tenant: String, service: String, from: Int64, to: Int64) async throws(StoreError) -> Int {
        try await pool.run { connection in
            // The `interactions_booked` range; ISO 8601 UTC times compare as bytes (the column is COLLATE "C").
            let rows = try connection.query(Self.bookedCount, [.text(tenant), .text(service), .text(Timestamp.iso8601(seconds: from)), .text(Timestamp.iso8601(seconds: to))])
            return Int(rows.int(0, 0) ?? 0)
        }
    }

    static let bookedCount = """
        SELECT count(*) FROM interactions
        WHERE tenant_id = $1 AND booked_service = $2 AND booked_start >= $3 AND booked_start < $4
          AND status NOT IN ('failed', 'dead') AND annotations::jsonb #>> '{refund,id}' IS NULL
        """

    public func openConversation(tenant: String, customer: String, id: InteractionID, expiresAt: Int64) async throws(StoreError) {
        try await writer.write(key: Self.laneKey(tenant, id), [PQCommand("""
            INSERT INTO conversations (tenant_id, customer, interaction_id, expires_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (tenant_id, customer) DO UPDATE SET interaction_id = excluded.interaction_id, expires_at = excluded.expires_at
            """, [.text(tenant), .text(customer), .text(id.rawValue), .integer(expiresAt)])]) { _ throws(StoreError) in }
    }

    public func conversation(tenant: String, customer: String, now: Int64) async throws(StoreError) -> InteractionID? {
        try await pool.run { connection in
            let rows = try connection.query("""
                SELECT interaction_id FROM conversations WHERE tenant_id = $1 AND customer = $2 AND expires_at > $3
                """, [.text(tenant), .text(customer), .integer(now)])
            return rows.isEmpty ? nil : rows.text(0, 0).flatMap(InteractionID.init)
        }
    }

    public func closeConversation(tenant: String, customer: String, id: InteractionID) async throws(StoreError) {
        try await writer.write(key: Self.laneKey(tenant, id), [PQCommand(
            "DELETE FROM conversations WHERE tenant_id = $1 AND customer = $2 AND interaction_id = $3",
            [.text(tenant), .text(customer), .text(id.rawValue)])]) { _ throws(StoreError) in }
    }
}
