import Model
import Native

extension SQLiteStore {
    public func effect(tenant: String, key: String) async throws(StoreError) -> EffectRecord? {
        try await read { connection in
            try connection.prepared("""
                SELECT interaction_id, provider, operation, state, result FROM effects WHERE tenant_id = ? AND key = ?
                """).query([.text(tenant), .text(key)]) { StoredColumns.effect(key: key, $0.cells) }.first ?? nil
        }
    }

    public func bookings(tenant: String, service: String, from: Int64, to: Int64) async throws(StoreError) -> Int {
        try await read { connection in
            // The `interactions_booked` range; ISO 8601 UTC times compare as text.
            try connection.prepared(Self.bookedCount)
                .query([.text(tenant), .text(service), .text(Timestamp.iso8601(seconds: from)),
                        .text(Timestamp.iso8601(seconds: to))]) { Int($0.int(0)) }.first ?? 0
        }
    }

    static let bookedCount = """
        SELECT count(*) FROM interactions
        WHERE tenant_id = ? AND booked_service = ? AND booked_start >= ? AND booked_start < ?
          AND status NOT IN ('failed', 'dead') AND json_extract(annotations, '$.refund.id') IS NULL
        """

    public func openConversation(tenant: String, customer: String, id: InteractionID, expiresAt: Int64) async throws(StoreError) {
        try await writer.write { connection in
            try connection.prepared("""
                INSERT INTO conversations (tenant_id, customer, interaction_id, expires_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (tenant_id, customer) DO UPDATE SET interaction_id = excluded.interaction_id,
                    expires_at = excluded.expires_at
                """).run([.text(tenant), .text(customer), .text(id.rawValue), .integer(expiresAt)])
        }
    }

    public func conversation(tenant: String, customer: String, now: Int64) async throws(StoreError) -> InteractionID? {
        try await read { connection in
            try connection.prepared("""
                SELECT interaction_id FROM conversations WHERE tenant_id = ? AND customer = ? AND expires_at > ?
                """).query([.text(tenant), .text(customer), .integer(now)]) { $0.text(0).flatMap(InteractionID.init) }.first ?? nil
        }
    }

    public func closeConversation(tenant: String, customer: String, id: InteractionID) async throws(StoreError) {
        try await writer.write { connection in
            try connection.prepared("DELETE FROM conversations WHERE tenant_id = ? AND customer = ? AND interaction_id = ?")
                .run([.text(tenant), .text(customer), .text(id.rawValue)])
        }
    }
}
