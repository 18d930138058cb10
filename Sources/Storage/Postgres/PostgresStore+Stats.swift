import Model
import Native

extension PostgresStore {
    public func stats(tenant: String, since: Int64) async throws(StoreError) -> TenantStats {
        // Ids start with their creation time, so "received since" is a range of the primary key.
        let lowest = PQValue.text(InteractionID.lowest(at: since).rawValue)
        let results = try await pool.run { connection in
            try connection.run([
                PQCommand("""
                    SELECT status, count(*) FROM interactions WHERE tenant_id = $1 AND id >= $2 GROUP BY status
                    UNION ALL
                    SELECT status, sum(interactions) FROM retired_days WHERE tenant_id = $1 AND day >= $3 GROUP BY status
                    """, [.text(tenant), lowest, .text(Timestamp.day(unixMillis: since))]),
                // Resolved when the last step ended (annotations from later webhooks move updated_at).
                PQCommand("""
                    SELECT coalesce((SELECT max(s.started_at + s.duration_us / 1000) FROM steps s
                                     WHERE s.tenant_id = i.tenant_id AND s.interaction_id = i.id), i.updated_at) - i.created_at
                    FROM interactions i
                    WHERE i.tenant_id = $1 AND i.id >= $2 AND i.status IN ('completed', 'failed')
                    """, [.text(tenant), lowest]),
                PQCommand("""
                    SELECT (c.value ->> 'provider') COLLATE "C" AS provider, count(*),
                           sum(CASE WHEN jsonb_typeof(c.value -> 'error') = 'object' THEN 1 ELSE 0 END),
                           sum(greatest(coalesce((c.value ->> 'attempts')::numeric, 1) - 1, 0))::bigint,
                           floor(sum(coalesce((c.value ->> 'duration_ms')::numeric, 0)))::bigint
                    FROM steps s
                    CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(s.detail::jsonb -> 'calls') = 'array'
                                                                 THEN s.detail::jsonb -> 'calls' ELSE '[]'::jsonb END) AS c(value)
                    WHERE s.tenant_id = $1 AND s.interaction_id >= $2
                    GROUP BY 1 ORDER BY 1
                    """, [.text(tenant), lowest]),
            ]).map { try $0.get() }
        }
        var stats = TenantStats(since: since)
        for (status, count) in results[0].map({ ($0.text(0).flatMap(InteractionStatus.init(rawValue:)), Int($0.int(1) ?? 0)) }) {
            if let status { stats.byStatus[status, default: 0] += count }
        }
        stats.resolution = TenantStats.Resolution(durations: results[1].map { max(0, $0.int(0) ?? 0) })
        stats.providers = results[2].map { row in
            TenantStats.ProviderFigures(provider: row.text(0) ?? "unknown", calls: Int(row.int(1) ?? 0), errors: Int(row.int(2) ?? 0),
                                        retries: Int(row.int(3) ?? 0), totalMillis: row.int(4) ?? 0)
        }
        return stats
    }

    public func unfinished(tenant: String) async throws(StoreError) -> [UnfinishedFigures] {
        try await pool.run { connection in
            try connection.query(Self.unfinishedCounts, [.text(tenant)]).map { row -> UnfinishedFigures? in
                guard let status = row.text(0).flatMap(InteractionStatus.init(rawValue:)) else { return nil }
                return UnfinishedFigures(status: status, count: Int(row.int(1) ?? 0), oldestCreatedAt: row.int(2) ?? 0)
            }.compactMap { $0 }
        }
    }

    /// Read every 10 s per tenant for /metrics: the `interactions_by_status` ranges.
    static let unfinishedCounts = """
        SELECT status, count(*), min(created_at) FROM interactions
        WHERE tenant_id = $1 AND status IN ('accepted', 'running', 'retrying', 'awaiting_reply', 'awaiting_approval')
        GROUP BY status
        """
}
