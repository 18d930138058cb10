import Model
import Native

extension SQLiteStore {
    public func stats(tenant: String, since: Int64) async throws(StoreError) -> TenantStats {
        // Ids start with their creation time, so "received since" is a range of the primary key.
        let lowest = InteractionID.lowest(at: since).rawValue
        return try await read { connection in
            var stats = TenantStats(since: since)
            let counts = try connection.prepared("""
                SELECT status, count(*) FROM interactions WHERE tenant_id = ? AND id >= ? GROUP BY status
                """).query([.text(tenant), .text(lowest)]) { row in (row.text(0) ?? "", Int(row.int(1))) }
            // Retired ones count by the day they were received (retention keeps whole days).
            let retired = try connection.prepared("""
                SELECT status, sum(interactions) FROM retired_days WHERE tenant_id = ? AND day >= ? GROUP BY status
                """).query([.text(tenant), .text(Timestamp.day(unixMillis: since))]) { row in (row.text(0) ?? "", Int(row.int(1))) }
            for (status, count) in counts + retired {
                if let status = InteractionStatus(rawValue: status) { stats.byStatus[status, default: 0] += count }
            }
            // Resolved when the last step ended (annotations from later webhooks move updated_at).
            let durations = try connection.prepared("""
                SELECT coalesce((SELECT max(s.started_at + s.duration_us / 1000) FROM steps s
                                 WHERE s.tenant_id = i.tenant_id AND s.interaction_id = i.id), i.updated_at) - i.created_at
                FROM interactions i
                WHERE i.tenant_id = ? AND i.id >= ? AND i.status IN ('completed', 'failed')
                """).query([.text(tenant), .text(lowest)]) { max(0, $0.int(0)) }
            stats.resolution = TenantStats.Resolution(durations: durations)
            stats.providers = try connection.prepared("""
                SELECT json_extract(c.value, '$.provider') AS provider, count(*),
                       sum(CASE WHEN json_type(c.value, '$.error') = 'object' THEN 1 ELSE 0 END),
                       sum(max(coalesce(json_extract(c.value, '$.attempts'), 1) - 1, 0)),
                       sum(coalesce(json_extract(c.value, '$.duration_ms'), 0))
                FROM steps s, json_each(s.detail, '$.calls') c
                WHERE s.tenant_id = ? AND s.interaction_id >= ?
                GROUP BY provider ORDER BY provider
                """).query([.text(tenant), .text(lowest)]) { row in
                TenantStats.ProviderFigures(provider: row.text(0) ?? "unknown", calls: Int(row.int(1)), errors: Int(row.int(2)),
                                            retries: Int(row.int(3)), totalMillis: row.int(4))
            }
            return stats
        }
    }

    public func unfinished(tenant: String) async throws(StoreError) -> [UnfinishedFigures] {
        try await read { connection in
            try connection.prepared(Self.unfinishedCounts).query([.text(tenant)]) { row -> UnfinishedFigures? in
                guard let status = row.text(0).flatMap(InteractionStatus.init(rawValue:)) else { return nil }
                return UnfinishedFigures(status: status, count: Int(row.int(1)), oldestCreatedAt: row.int(2))
            }.compactMap { $0 }
        }
    }

    /// Read every 10 s per tenant for /metrics: the `interactions_by_status` ranges.
    static let unfinishedCounts = """
        SELECT status, count(*), min(created_at) FROM interactions
        WHERE tenant_id = ? AND status IN ('accepted', 'running', 'retrying', 'awaiting_reply', 'awaiting_approval')
        GROUP BY status
        """
}
