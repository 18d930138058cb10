import Model
import Native

extension SQLiteStore {
    /// The primary key's range (ids begin with their receipt time), then the status per row.
    static let retirableQuery = """
        SELECT \(columns) FROM interactions
        WHERE tenant_id = ? AND id < ? AND status IN ('completed', 'failed', 'ignored')
          AND (booked_start IS NULL OR booked_start < ?)
        ORDER BY id LIMIT ?
        """

    public func retirable(tenant: String, before: Int64, limit: Int) async throws(StoreError) -> [InteractionRecord] {
        try await read { connection in
            try connection.prepared(Self.retirableQuery)
                .query([.text(tenant), .text(InteractionID.lowest(at: before).rawValue),
                        .text(Timestamp.iso8601(seconds: before / 1000)), .integer(Int64(limit))], Self.record)
        }
    }

    public func retire(tenant: String, ids: [InteractionID]) async throws(StoreError) -> Int {
        let now = Clock.unixMillis()
        return try await writer.write { connection in
            var retired = 0
            for id in ids {
                let ended = try connection.prepared("""
                    DELETE FROM interactions WHERE tenant_id = ? AND id = ? AND status IN ('completed', 'failed', 'ignored')
                    RETURNING status
                    """).query([.text(tenant), .text(id.rawValue)]) { $0.text(0) ?? "" }
                guard let status = ended.first else { continue }
                try connection.prepared("DELETE FROM steps WHERE tenant_id = ? AND interaction_id = ?")
                    .run([.text(tenant), .text(id.rawValue)])
                // Effect keys begin with the interaction's id and a colon (";" follows ":").
                try connection.prepared("DELETE FROM effects WHERE tenant_id = ? AND key >= ? AND key < ?")
                    .run([.text(tenant), .text(id.rawValue + ":"), .text(id.rawValue + ";")])
                try connection.prepared("""
                    INSERT INTO retired_days (tenant_id, day, status, interactions) VALUES (?, ?, ?, 1)
                    ON CONFLICT (tenant_id, day, status) DO UPDATE SET interactions = interactions + 1
                    """).run([.text(tenant), .text(Timestamp.day(unixMillis: id.unixMillis)), .text(status)])
                retired += 1
            }
            try connection.prepared("DELETE FROM conversations WHERE tenant_id = ? AND expires_at <= ?")
                .run([.text(tenant), .integer(now)])
            return retired
        }
    }
}
