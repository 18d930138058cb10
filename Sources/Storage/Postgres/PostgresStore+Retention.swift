import Model
import Native

extension PostgresStore {
    /// The primary key's range (ids begin with their receipt time), then the status per row.
    static let retirableQuery = """
        SELECT \(StoredColumns.interaction) FROM interactions
        WHERE tenant_id = $1 AND id < $2 AND status IN ('completed', 'failed', 'ignored') AND lease_owner IS NULL
          AND (booked_start IS NULL OR booked_start < $3)
        ORDER BY id LIMIT $4
        """

    public func retirable(tenant: String, before: Int64, limit: Int) async throws(StoreError) -> [InteractionRecord] {
        try await pool.run { connection in
            try Self.records(connection.query(Self.retirableQuery, [
                .text(tenant), .text(InteractionID.lowest(at: before).rawValue),
                .text(Timestamp.iso8601(seconds: before / 1000)), .integer(Int64(limit)),
            ]))
        }
    }

    /// The rows, their steps and effects (whose keys begin with the interaction's id and a colon;
    /// ";" follows ":" in the bytes "C" orders by), and the tenant's expired conversations.
    static let retireStatement = """
        WITH gone AS (
            DELETE FROM interactions
            WHERE tenant_id = $1 AND id = ANY($2::text[]) AND status IN ('completed', 'failed', 'ignored') AND lease_owner IS NULL
            RETURNING id, status),
        steps_gone AS (
            DELETE FROM steps s USING gone WHERE s.tenant_id = $1 AND s.interaction_id = gone.id),
        effects_gone AS (
            DELETE FROM effects e USING gone
            WHERE e.tenant_id = $1 AND e.key >= (gone.id || ':') COLLATE "C" AND e.key < (gone.id || ';') COLLATE "C"),
        conversations_gone AS (
            DELETE FROM conversations WHERE tenant_id = $1 AND expires_at <= $3)
        SELECT id, status FROM gone
        """

    /// Each retired interaction counted by the day its id says it was received.
    static let countRetired = """
        INSERT INTO retired_days (tenant_id, day, status, interactions)
        SELECT $1, day, status, count(*) FROM unnest($2::text[], $3::text[]) AS r(day, status) GROUP BY day, status
        ON CONFLICT (tenant_id, day, status) DO UPDATE SET interactions = retired_days.interactions + excluded.interactions
        """

    public func retire(tenant: String, ids: [InteractionID]) async throws(StoreError) -> Int {
        let now = Clock.unixMillis()
        return try await pool.run(retrying: false) { connection in
            try connection.transaction { connection in
                let gone = try connection.query(Self.retireStatement, [.text(tenant), .textArray(ids.map(\.rawValue)), .integer(now)])
                let rows = (0..<gone.rowCount).compactMap { row in
                    gone.text(row, 0).flatMap(InteractionID.init).map { (day: Timestamp.day(unixMillis: $0.unixMillis), status: gone.text(row, 1) ?? "") }
                }
                if !rows.isEmpty {
                    _ = try connection.query(Self.countRetired, [.text(tenant), .textArray(rows.map(\.day)), .textArray(rows.map(\.status))])
                }
                return rows.count
            }
        }
    }
}
