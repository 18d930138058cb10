import Glibc
import Model
import Native
import Testing
@testable import Storage

/// A journal that grows: every query the server runs periodically or per booking reads an index
/// range, never the whole table, and retention deletes what it retires without touching the rest.
@Suite(.serialized)
struct JournalGrowthTests {
    /// Each statement with the index its plan must name. The scheduler's statement these replace
    /// (one `status IN (…)` list unlike its index's) planned as `SCAN interactions`.
    static let sqliteStatements: [(name: String, sql: String, index: String)] = [
        ("due waits", SQLiteStore.dueWaiting, "interactions_waiting"),
        ("due unfinished", SQLiteStore.dueActive, "interactions_active"),
        ("bookings of a day", SQLiteStore.bookedCount, "interactions_booked"),
        ("unfinished figures", SQLiteStore.unfinishedCounts, "interactions_by_status"),
        ("retirable", SQLiteStore.retirableQuery, "sqlite_autoindex_interactions_1"),  // the primary key
    ]

    @Test func sqlitePeriodicQueries_readAnIndexRange() async throws {
        let temp = try TemporaryStore(.sqlite)
        let connection = try SQLiteConnection(path: temp.sqlite.path)
        for (name, sql, index) in Self.sqliteStatements {
            let plan = try connection.prepared("EXPLAIN QUERY PLAN " + sql).query { $0.text(3) ?? "" }
            #expect(plan.contains { $0.contains("USING INDEX \(index)") || $0.contains("USING COVERING INDEX \(index)") }, "\(name) names no \(index): \(plan)")
            #expect(!plan.contains { $0.hasPrefix("SCAN interactions") && !$0.contains("INDEX") }, "\(name) scans: \(plan)")
        }
    }

    /// A journal at schema version 2 gains the booking columns, filled from the contexts it holds,
    /// so `max_per_day` counts what was booked before the upgrade.
    @Test func sqliteMigration_fillsTheBookingColumns_fromExistingContexts() async throws {
        let path = "/tmp/switchboard-migration-test-\(getpid())-\(Clock.monotonicNanos()).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }
        do {
            let old = try SQLiteConnection(path: path)
            try old.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)")
            for migration in SQLiteSchema.migrations where migration.version <= 2 {
                try old.execute(migration.sql)
                try old.execute("INSERT INTO schema_migrations VALUES (\(migration.version), 0)")
            }
            try old.execute("""
                INSERT INTO interactions (tenant_id, id, channel, status, input, context, created_at, updated_at) VALUES
                ('acme', 'int_01', 'api', 'completed', '{}', '{"service":{"id":"heater"},"booking":{"start":"2026-11-19T09:00:00Z"}}', 1, 1),
                ('acme', 'int_02', 'api', 'completed', '{}', '{"service":{"id":"heater"},"booking":{"start":{"odd":1}}}', 1, 1),
                ('acme', 'int_03', 'api', 'running', '{}', '{"service":{"id":"heater"}}', 1, 1);
                """)
        }
        let store = try SQLiteStore(path: path)
        let day: Int64 = 1_795_046_400
        #expect(try await store.bookings(tenant: "acme", service: "heater", from: day, to: day + 86_400) == 1)
        let check = try SQLiteConnection(path: path)
        #expect(try check.prepared("SELECT max(version) FROM schema_migrations").query { $0.int(0) } == [Int64(SQLiteSchema.latestVersion)])
    }

    @Test(arguments: StoreKind.available)
    func retire_deletesOldFinishedWork_withItsStepsAndEffects_andKeepsItsCount(_ kind: StoreKind) async throws {
        let temp = try TemporaryStore(kind)
        let store = temp.store
        let old: Int64 = 1_700_000_000_000, cutoff: Int64 = 1_750_000_000_000
        func stored(_ status: InteractionStatus, at millis: Int64 = old, tenant: String = "acme", booking: String? = nil) async throws -> InteractionID {
            let interaction = makeInteraction(tenant: tenant, at: millis)
            _ = try await store.accept(interaction, requestHash: nil)
            _ = try await store.claim(tenant: tenant, id: interaction.id)
            var context: JSONObject = [:]
            if let booking { context = ["service": ["id": "heater"], "booking": ["start": .string(booking)]] }
            let step = StepRecord(sequence: 1, state: "start", agent: "intent.classify", outcome: .ok, startedAt: millis,
                                  durationMicros: 10, detail: ["calls": []])
            try await store.commit(steps: [step], effects: [
                EffectRecord(key: interaction.id.rawValue + ":start#1", interactionID: interaction.id, provider: "twilio",
                             operation: "sms", state: .done, result: ["sid": "SM1"]),
            ], tenant: tenant, id: interaction.id, update: .init(status: status, context: context))
            return interaction.id
        }
        let completed = try await stored(.completed)
        let failed = try await stored(.failed)
        let dead = try await stored(.dead)
        let waiting = try await stored(.awaitingApproval)
        let bookedAhead = try await stored(.completed, booking: "2027-06-01T09:00:00Z")
        let bookedPast = try await stored(.completed, booking: "2023-11-20T09:00:00Z")
        let recent = try await stored(.completed, at: cutoff + 1_000)
        let theirs = try await stored(.completed, tenant: "other")
        try await store.openConversation(tenant: "acme", customer: "+15550001111", id: completed, expiresAt: 1_000)

        let retirable = try await store.retirable(tenant: "acme", before: cutoff, limit: 100).map(\.interaction.id)
        #expect(Set(retirable) == [completed, failed, bookedPast])
        #expect(retirable == retirable.sorted())
        // One replayed meanwhile is no longer final, and stays.
        _ = try await store.claim(tenant: "acme", id: failed)
        try await store.commit(step: nil, tenant: "acme", id: failed, update: .init(status: .accepted))
        #expect(try await store.retire(tenant: "acme", ids: retirable) == 2)

        for gone in [completed, bookedPast] {
            #expect(try await store.interaction(tenant: "acme", id: gone) == nil)
            #expect(try await store.steps(tenant: "acme", id: gone).isEmpty)
            #expect(try await store.effect(tenant: "acme", key: gone.rawValue + ":start#1") == nil)
        }
        for kept in [failed, dead, waiting, bookedAhead, recent] {
            #expect(try await store.interaction(tenant: "acme", id: kept) != nil)
            #expect(try await store.effect(tenant: "acme", key: kept.rawValue + ":start#1") != nil)
        }
        #expect(try await store.interaction(tenant: "other", id: theirs) != nil)
        #expect(try await store.conversation(tenant: "acme", customer: "+15550001111", now: 0) == nil)
        // The tenant's figures still count what was retired, on the day it was received.
        let stats = try await store.stats(tenant: "acme", since: old - 86_400_000)
        #expect(stats.byStatus[.completed] == 4)  // two retired, bookedAhead and recent
        let recentStats = try await store.stats(tenant: "acme", since: cutoff)
        #expect(recentStats.byStatus[.completed] == 1, "\(recentStats.byStatus)")
    }

    @Test func postgresPeriodicQueries_readAnIndex_atTwentyThousandRows() async throws {
        guard TestDatabase.isAvailable else { return }
        let temp = try TemporaryStore(.postgres)
        let connection = try PQConnection(url: temp.postgres.url)
        try connection.execute("""
            INSERT INTO interactions (tenant_id, id, channel, status, input, created_at, updated_at, booked_service, booked_start)
            SELECT 't' || (g % 4), 'int_' || lpad(g::text, 26, '0'), 'api', CASE WHEN g % 5 = 0 THEN 'failed' ELSE 'completed' END,
                   '{}', g, g, 'heater', '2026-01-01T00:00:00Z'
            FROM generate_series(1, 20000) g;
            ANALYZE interactions;
            """)
        let statements: [(String, String, [PQValue])] = [
            ("due", PostgresStore.dueStatement, [.text("node-a"), .integer(2_000), .bool(true), .integer(256)]),
            ("bookings of a day", PostgresStore.bookedCount,
             [.text("t1"), .text("heater"), .text("2026-01-01T00:00:00Z"), .text("2026-01-02T00:00:00Z")]),
            ("unfinished figures", PostgresStore.unfinishedCounts, [.text("t1")]),
            ("retirable", PostgresStore.retirableQuery, [.text("t1"), .text("int_00000000000000000000000100"), .text("2026"), .integer(200)]),
        ]
        for (name, sql, values) in statements {
            let plan = try connection.query("EXPLAIN " + sql, values)
            let lines = (0..<plan.rowCount).map { plan.text($0, 0) ?? "" }
            #expect(!lines.contains { $0.contains("Seq Scan on interactions") }, "\(name): \(lines.joined(separator: "\n"))")
        }
    }
}
