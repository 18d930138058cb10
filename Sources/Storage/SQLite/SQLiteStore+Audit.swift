import Model
import Native

extension SQLiteStore {
    @discardableResult
    public func audit(_ entry: AuditEntry) async throws(StoreError) -> AuditEntry {
        let sequence = try await writer.write { connection in
            try connection.prepared("""
                INSERT INTO audit_log (tenant_id, at, actor, action, target, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?)
                RETURNING seq
                """).query([.text(entry.tenant), .integer(entry.at), .text(entry.actor), .text(entry.action.rawValue),
                            .text(entry.target), .text(entry.outcome), .text(JSON.object(entry.detail).serialized())]) { $0.int(0) }
                .first ?? 0
        }
        var stored = entry
        stored.sequence = sequence
        return stored
    }

    public func auditLog(tenant: String, action: AuditEntry.Action?, before: Int64?, limit: Int) async throws(StoreError) -> [AuditEntry] {
        let limit = max(1, min(limit, 500))
        return try await read { connection in
            var sql = "SELECT \(AuditEntry.columns) FROM audit_log WHERE tenant_id = ?"
            var values: [SQLiteStatement.Value] = [.text(tenant)]
            if let action { sql += " AND action = ?"; values.append(.text(action.rawValue)) }
            if let before { sql += " AND seq < ?"; values.append(.integer(before)) }
            sql += " ORDER BY seq DESC LIMIT ?"
            values.append(.integer(Int64(limit)))
            return try connection.prepared(sql).query(values) { AuditEntry.stored($0.cells) }.compactMap { $0 }
        }
    }
}
