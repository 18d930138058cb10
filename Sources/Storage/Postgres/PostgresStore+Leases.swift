import Model
import Native

extension PostgresStore {
    /// Who may take an interaction: nobody holds it, this node does, or its holder's heartbeat
    /// has run out.
    static let takeable = """
        (lease_owner IS NULL OR lease_owner = $1 OR lease_owner NOT IN (SELECT node FROM nodes WHERE expires_at > \(now)))
        """

    public func due(now: Int64, limit: Int, includeUnfinished: Bool) async throws(StoreError) -> [InteractionRecord] {
        // The engine's scheduler spans tenants by design; every record carries its tenant.
        // SKIP LOCKED: nodes claiming at the same moment take disjoint rows instead of queueing
        // behind each other. Accepted and running work whose node died comes back at every call;
        // this node's own (running here now, or deferred) only with `includeUnfinished`.
        try await pool.run { [node] connection in
            try Self.records(connection.query(Self.dueStatement,
                                              [.text(node), .integer(now), .bool(includeUnfinished), .integer(Int64(limit))]))
        }
    }

    /// A bitmap OR of the `interactions_waiting` and `interactions_active` partial indexes.
    static let dueStatement = """
        UPDATE interactions AS i SET lease_owner = $1
        FROM (SELECT tenant_id AS due_tenant, id AS due_id FROM interactions
              WHERE \(takeable)
                AND ((status IN ('retrying', 'awaiting_reply', 'awaiting_approval') AND wake_at <= $2)
                  OR (status IN ('accepted', 'running') AND ($3::boolean OR lease_owner IS DISTINCT FROM $1)))
              ORDER BY coalesce(wake_at, created_at) LIMIT $4
              FOR UPDATE SKIP LOCKED) AS due
        WHERE i.tenant_id = due.due_tenant AND i.id = due.due_id
        RETURNING \(StoredColumns.interaction)
        """

    public func claim(tenant: String, id: InteractionID) async throws(StoreError) -> InteractionRecord? {
        try await pool.run { [node] connection in
            try Self.records(connection.query("""
                UPDATE interactions SET lease_owner = $1 WHERE tenant_id = $2 AND id = $3 AND \(Self.takeable)
                RETURNING \(StoredColumns.interaction)
                """, [.text(node), .text(tenant), .text(id.rawValue)])).first
        }
    }

    public func release(tenant: String, id: InteractionID) async throws(StoreError) {
        try await pool.run { [node] connection in
            _ = try connection.query("UPDATE interactions SET lease_owner = NULL WHERE tenant_id = $1 AND id = $2 AND lease_owner = $3",
                                     [.text(tenant), .text(id.rawValue), .text(node)])
        }
    }

    public func resign() async throws(StoreError) {
        stopHeartbeat()
        try await pool.run { [node] connection in
            _ = try connection.query("UPDATE nodes SET expires_at = 0 WHERE node = $1", [.text(node)])
        }
    }
}
