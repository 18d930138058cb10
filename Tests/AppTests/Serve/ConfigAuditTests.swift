import Glibc
import Model
import Native
import Routing
import Storage
import Testing
@testable import App

/// What a restart records: only the versions that changed while the server was down.
struct ConfigAuditTests {
    @Test func startUp_recordsAVersionOnlyWhenItDiffersFromTheLastOneRecorded() async throws {
        let path = "/tmp/switchboard-config-audit-\(getpid())-\(Clock.monotonicNanos()).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }
        let store = try SQLiteStore(path: path)
        let change = { (version: String, previous: String?) in
            ConfigChange(tenant: TenantID("acme"), version: version, previous: previous, source: "tenants/acme.yaml")
        }
        for (version, previous) in [("v1", nil), ("v1", nil), ("v2", nil)] as [(String, String?)] {
            let audit = ConfigAudit(store: store, logger: Logger(label: "test"))
            audit.record([change(version, previous)], actor: "start-up", onlyIfNew: true)
            await audit.finish()
        }
        let entries = try await store.auditLog(tenant: "acme", action: .reload, before: nil, limit: 10)
        #expect(entries.map(\.target) == ["v2", "v1"])
        #expect(entries.allSatisfy { $0.actor == "start-up" })
    }
}
