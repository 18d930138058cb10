import Model
import Native
import Testing
@testable import Storage

/// The audit log on both stores: appended in order, read newest first by tenant, paged and
/// filtered by action, and never across tenants.
@Suite(.serialized)
struct AuditLogTests {
    @Test(arguments: StoreKind.available)
    func entries_comeBackNewestFirst_pagedFilteredAndScopedByTenant(_ kind: StoreKind) async throws {
        let temp = try TemporaryStore(kind)
        let store = temp.store
        var written: [AuditEntry] = []
        for (index, action) in [AuditEntry.Action.reload, .approve, .replay, .reject, .approve].enumerated() {
            let entry = AuditEntry(tenant: "acme", at: 1_000 + Int64(index), actor: action == .reload ? "start-up" : "dispatch",
                                   action: action, target: "target-\(index)", outcome: index == 2 ? "invalid state" : "done",
                                   detail: ["note": .string("n\(index)")])
            written.append(try await store.audit(entry))
        }
        try await store.audit(AuditEntry(tenant: "other", at: 2_000, actor: "front-desk", action: .approve, target: "theirs"))

        #expect(written.map(\.sequence) == written.map(\.sequence).sorted() && Set(written.map(\.sequence)).count == 5)
        let all = try await store.auditLog(tenant: "acme", action: nil, before: nil, limit: 50)
        #expect(all.map(\.target) == ["target-4", "target-3", "target-2", "target-1", "target-0"])
        #expect(all[2].outcome == "invalid state" && all[2].actor == "dispatch" && all[2].detail["note"]?.stringValue == "n2")
        #expect(all[4] == written[0])

        let firstPage = try await store.auditLog(tenant: "acme", action: nil, before: nil, limit: 2)
        let secondPage = try await store.auditLog(tenant: "acme", action: nil, before: firstPage.last?.sequence, limit: 2)
        #expect(firstPage.map(\.target) == ["target-4", "target-3"] && secondPage.map(\.target) == ["target-2", "target-1"])

        let approvals = try await store.auditLog(tenant: "acme", action: .approve, before: nil, limit: 50)
        #expect(approvals.map(\.target) == ["target-4", "target-1"])
        let theirs = try await store.auditLog(tenant: "other", action: nil, before: nil, limit: 50)
        #expect(theirs.map(\.target) == ["theirs"])
    }

    /// Each shape of the log's query is answered from an index, not a scan of the log.
    @Test func sqliteQueries_useTheAuditIndexes() async throws {
        let temp = try TemporaryStore(.sqlite)
        let connection = try SQLiteConnection(path: temp.sqlite.path)
        let shapes = [
            ("SELECT \(AuditEntry.columns) FROM audit_log WHERE tenant_id = ? ORDER BY seq DESC LIMIT ?", "audit_by_tenant"),
            ("SELECT \(AuditEntry.columns) FROM audit_log WHERE tenant_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?", "audit_by_tenant"),
            ("SELECT \(AuditEntry.columns) FROM audit_log WHERE tenant_id = ? AND action = ? ORDER BY seq DESC LIMIT ?", "audit_by_action"),
            ("SELECT \(AuditEntry.columns) FROM audit_log WHERE tenant_id = ? AND action = ? AND seq < ? ORDER BY seq DESC LIMIT ?",
             "audit_by_action"),
        ]
        for (sql, index) in shapes {
            let plan = try connection.prepared("EXPLAIN QUERY PLAN " + sql).query { $0.text(3) ?? "" }.joined(separator: "; ")
            #expect(plan.contains("USING INDEX \(index)") || plan.contains("USING COVERING INDEX \(index)"), "\(sql): \(plan)")
            #expect(!plan.contains("USE TEMP B-TREE"), "\(sql) sorts: \(plan)")
        }
    }
}
