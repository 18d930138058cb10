import Glibc
import Model
import Native
import Testing
@testable import Storage

/// What only the SQLite journal does: its file, its migrations, a full disk.
struct SQLiteStoreTests {
    @Test func reopening_keepsData_andDoesNotReapplyMigrations() async throws {
        let path = "/tmp/switchboard-store-reopen-\(getpid())-\(Clock.monotonicNanos()).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }
        let interaction = makeInteraction()
        do {
            let store = try SQLiteStore(path: path)
            _ = try await store.accept(interaction, requestHash: nil)
        }
        let reopened = try SQLiteStore(path: path)
        #expect(try await reopened.interaction(tenant: "acme", id: interaction.id)?.interaction == interaction)
        let versions = try await reopened.read { try $0.prepared("SELECT version FROM schema_migrations").query { $0.int(0) } }
        #expect(versions == SQLiteSchema.migrations.map { Int64($0.version) })
    }

    @Test func fullDatabase_failsAsUnavailable_andKeepsWhatWasStored() async throws {
        let temp = try TemporaryStore()
        let kept = makeInteraction()
        _ = try await temp.store.accept(kept, requestHash: nil)
        let pages = try await temp.sqlite.writer.onWriterQueue { try $0.prepared("PRAGMA page_count").query { $0.int(0) }.first ?? 0 }
        try await temp.sqlite.writer.onWriterQueue { try $0.execute("PRAGMA max_page_count = \(pages)") }
        var failure: StoreError?
        do {
            for _ in 0..<200 {
                _ = try await temp.store.accept(makeInteraction(text: String(repeating: "x", count: 4000)), requestHash: nil)
            }
        } catch {
            failure = error
        }
        #expect(failure?.kind == .unavailable)
        #expect(failure?.description.contains("full") == true, "\(String(describing: failure))")
        #expect(try await temp.store.interaction(tenant: "acme", id: kept.id) != nil)
        // Space returns: writes succeed again.
        try await temp.sqlite.writer.onWriterQueue { try $0.execute("PRAGMA max_page_count = 1073741823") }
        guard case .accepted = try await temp.store.accept(makeInteraction(), requestHash: nil) else {
            Issue.record("expected recovery"); return
        }
    }
}
