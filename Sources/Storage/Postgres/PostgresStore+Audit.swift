import Model
import Native

extension PostgresStore {
    @discardableResult
    public func audit(_ entry: AuditEntry) async throws(StoreError) -> AuditEntry {
        let sequence = try await writer.write(key: "audit:" + entry.tenant, [PQCommand("""
            INSERT INTO audit_log (tenant_id, at, actor, action, target, outcome, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)
            RETURNING seq
            """, [.text(entry.tenant), .integer(entry.at), .text(entry.actor), .text(entry.action.rawValue), .text(entry.target),
                  .text(entry.outcome), .text(JSON.object(entry.detail).serialized())])]) { rows throws(StoreError) -> Int64 in
            guard let sequence = rows.first?.int(0, 0) else { throw StoreError(.corrupt, "the audit entry was not stored") }
            return sequence
        }
        var stored = entry
        stored.sequence = sequence
        return stored
    }

    public func auditLog(tenant: String, action: AuditEntry.Action?, before: Int64?, limit: Int) async throws(StoreError) -> [AuditEntry] {
        let limit = max(1, min(limit, 500))
        var sql = "SELECT \(AuditEntry.columns) FROM audit_log WHERE tenant_id = $1"
        var values: [PQValue] = [.text(tenant)]
        if let action { values.append(.text(action.rawValue)); sql += " AND action = $\(values.count)" }
        if let before { values.append(.integer(before)); sql += " AND seq < $\(values.count)" }
        values.append(.integer(Int64(limit)))
        sql += " ORDER BY seq DESC LIMIT $\(values.count)"
        let query = sql, arguments = values
        return try await pool.run { connection in
            try connection.query(query, arguments).map { AuditEntry.stored($0.cells) }.compactMap { $0 }
        }
    }
}
