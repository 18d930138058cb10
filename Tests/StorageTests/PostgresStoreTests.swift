import Glibc
import Model
import Native
import Testing
@testable import Storage

/// What only the shared PostgreSQL journal does: several nodes on one database, leases, fencing,
/// migrations run by nodes starting together, connections lost and found.
@Suite(.enabled(if: TestDatabase.isAvailable, "needs SWITCHBOARD_TEST_POSTGRES_URL (scripts/test starts a server)"))
struct PostgresStoreTests {
    @Test func migrations_runOnce_whenNodesStartTogether() async throws {
        let (schema, url) = try TestDatabase.makeSchema()
        defer { TestDatabase.dropSchema(schema) }
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for n in 0..<3 {
                group.addTask { try PostgresStore(url: url, configuration: TemporaryStore.configuration(node: "n\(n)", leaseMillis: 5000)) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        defer { for store in stores { store.stopHeartbeat() } }
        let versions = try PQConnection(url: url).query("SELECT version FROM schema_migrations ORDER BY version").map { $0.int(0) }
        #expect(versions == PostgresSchema.migrations.map { Int64($0.version) })
        // Reopening keeps the data and applies nothing again.
        let interaction = makeInteraction()
        _ = try await stores[0].accept(interaction, requestHash: nil)
        let reopened = try PostgresStore(url: url, configuration: TemporaryStore.configuration(node: "n9", leaseMillis: 5000))
        defer { reopened.stopHeartbeat() }
        #expect(try await reopened.interaction(tenant: "acme", id: interaction.id)?.interaction == interaction)
    }

    @Test func idempotencyKey_acceptedOnTwoNodesAtOnce_storesOneInteraction() async throws {
        let nodes = try TemporaryStore.twoNodes()
        let (a, b) = (nodes.a, nodes.b)
        let results = try await withThrowingTaskGroup(of: (String, AcceptResult).self) { group in
            for n in 0..<40 {
                for store in [a, b] {
                    group.addTask { ("k\(n)", try await store.accept(makeInteraction(key: "k\(n)"), requestHash: "same")) }
                }
            }
            return try await group.reduce(into: [String: [AcceptResult]]()) { $0[$1.0, default: []].append($1.1) }
        }
        for (key, pair) in results {
            let accepted = pair.compactMap { if case .accepted(let record) = $0 { record.id } else { nil } }
            let replayed = pair.compactMap { if case .replay(let record) = $0 { record.id } else { nil } }
            #expect(accepted.count == 1 && replayed == accepted, "\(key): \(pair)")
        }
        let page = try await a.interactions(tenant: "acme", status: nil, since: nil, customer: nil, limit: 500, cursor: nil)
        #expect(page.records.count == 40)
    }

    @Test func lease_ofALiveNode_isNotTaken_untilItsHeartbeatStops() async throws {
        let nodes = try TemporaryStore.twoNodes(leaseMillis: 600)
        let (a, b) = (nodes.a, nodes.b)
        let interaction = try await a.acceptNew()
        // Beats keep it a's well past one lease.
        try await Task.sleep(nanoseconds: 1_300_000_000)
        #expect(try await b.claim(tenant: "acme", id: interaction.id) == nil)
        #expect(try await b.due(now: Clock.unixMillis(), limit: 10, includeUnfinished: true).isEmpty)
        try await a.commit(step: nil, tenant: "acme", id: interaction.id, update: .init(status: .running, state: "s1"))
        #expect(a.isReachable && b.isReachable)

        a.stopHeartbeat()  // a dies
        let stopped = Clock.monotonicNanos()
        var taken: [InteractionRecord] = []
        while taken.isEmpty, Clock.monotonicNanos() - stopped < 3_000_000_000 {
            taken = try await b.due(now: Clock.unixMillis(), limit: 10, includeUnfinished: false)
            if taken.isEmpty { try await Task.sleep(nanoseconds: 50_000_000) }
        }
        #expect(taken.map(\.id) == [interaction.id])
        #expect(!a.isReachable, "a has not beaten for longer than its lease")
        #expect(taken.first?.state == "s1")
        let waited = Double(Clock.monotonicNanos() - stopped) / 1e9
        #expect(waited < 1.5, "taken over \(waited) s after the heartbeat stopped, with a 0.6 s lease")
    }

    @Test func nodeThatLostItsLease_writesNothing() async throws {
        let nodes = try TemporaryStore.twoNodes(leaseMillis: 300)
        let (a, b) = (nodes.a, nodes.b)
        let interaction = try await a.acceptNew()
        a.stopHeartbeat()
        try await Task.sleep(nanoseconds: 500_000_000)
        #expect(try await b.claim(tenant: "acme", id: interaction.id)?.id == interaction.id)
        // a comes back from its stall and tries to journal a step, an effect and a move.
        let step = StepRecord(sequence: 1, state: "book", agent: "scheduling.book", outcome: .ok, startedAt: 1, durationMicros: 1, detail: nil)
        let effect = EffectRecord(key: "k1", interactionID: interaction.id, provider: "calcom", operation: "book", state: .intended)
        await #expect(throws: StoreError.self) {
            try await a.commit(steps: [step], effects: [effect], tenant: "acme", id: interaction.id, update: .init(status: .running))
        }
        await #expect(throws: StoreError.self) {
            try await a.commit(steps: [step], effects: [effect], tenant: "acme", id: interaction.id, update: nil)
        }
        #expect(try await a.steps(tenant: "acme", id: interaction.id).isEmpty)
        #expect(try await a.effect(tenant: "acme", key: "k1") == nil)
        // Its successor writes.
        try await b.commit(steps: [step], effects: [effect], tenant: "acme", id: interaction.id, update: .init(status: .completed))
        #expect(try await b.interaction(tenant: "acme", id: interaction.id)?.status == .completed)
    }

    @Test func due_onTwoNodesAtOnce_claimsEachInteractionOnce() async throws {
        let nodes = try TemporaryStore.twoNodes()
        let (a, b) = (nodes.a, nodes.b)
        var ids: Set<InteractionID> = []
        for _ in 0..<120 {
            let interaction = makeInteraction()
            ids.insert(interaction.id)
            _ = try await a.accept(interaction, requestHash: nil)
            try await a.commit(step: nil, tenant: "acme", id: interaction.id, update: .init(status: .retrying, wakeAt: 1000))
        }
        async let fromA = a.due(now: 2000, limit: 100, includeUnfinished: false)
        async let fromB = b.due(now: 2000, limit: 100, includeUnfinished: false)
        let (takenByA, takenByB) = try await (Set(fromA.map(\.id)), Set(fromB.map(\.id)))
        #expect(takenByA.isDisjoint(with: takenByB))
        #expect(takenByA.union(takenByB) == ids)
        // Each node may write what it took, and only that.
        let first = try #require(takenByA.first)
        await #expect(throws: StoreError.self) {
            try await b.commit(step: nil, tenant: "acme", id: first, update: .init(status: .running))
        }
        try await a.commit(step: nil, tenant: "acme", id: first, update: .init(status: .running))
    }

    @Test func parkingEndingReleasingOrResigning_letsAnotherNodeTakeOverAtOnce() async throws {
        let nodes = try TemporaryStore.twoNodes()
        let (a, b) = (nodes.a, nodes.b)
        let parked = makeInteraction()
        let released = makeInteraction()
        let resigned = makeInteraction()
        for interaction in [parked, released, resigned] { _ = try await a.accept(interaction, requestHash: nil) }
        try await a.commit(step: nil, tenant: "acme", id: parked.id, update: .init(status: .awaitingApproval))
        try await a.release(tenant: "acme", id: released.id)
        #expect(try await b.claim(tenant: "acme", id: parked.id)?.status == .awaitingApproval)
        #expect(try await b.claim(tenant: "acme", id: released.id)?.status == .accepted)
        #expect(try await b.claim(tenant: "acme", id: resigned.id) == nil)
        try await a.resign()
        #expect(try await b.claim(tenant: "acme", id: resigned.id)?.id == resigned.id)
        // What b holds now, a cannot take back.
        #expect(try await a.claim(tenant: "acme", id: parked.id) == nil)
    }

    @Test func nodeName_inUseByALiveNode_isRefused() async throws {
        let temp = try TemporaryStore(.postgres, node: "twin", leaseMillis: 300)
        let started = Clock.monotonicNanos()
        do {
            _ = try temp.otherNode("twin", leaseMillis: 300)
            Issue.record("a second live node named twin was allowed")
        } catch let error as StoreError {
            #expect(error.kind == .conflict)
            #expect(error.description.contains("--node-id"), "\(error)")
        }
        // Once the first one stops beating, the name is free again after its lease.
        #expect(Clock.monotonicNanos() - started >= 1_000_000_000)
        temp.postgres.stopHeartbeat()
        _ = try temp.otherNode("twin", leaseMillis: 300)
    }

    @Test func brokenConnections_areReestablished() async throws {
        let temp = try TemporaryStore(.postgres, node: "fragile")
        let store = temp.postgres
        let interaction = makeInteraction()
        _ = try await store.accept(interaction, requestHash: nil)
        let admin = try PQConnection(url: TestDatabase.url!)
        let terminated = try admin.query("""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'switchboard fragile'
            """)
        #expect(terminated.rowCount >= 4)
        // Reads try again on a new connection.
        #expect(try await store.interaction(tenant: "acme", id: interaction.id) != nil)
        // A write whose connection broke is reported unavailable (it may or may not have
        // committed); the next one reconnects.
        var failures = 0
        for attempt in 0..<4 {
            do {
                try await store.commit(step: nil, tenant: "acme", id: interaction.id, update: .init(status: .running, state: "s\(attempt)"))
            } catch {
                #expect(error.kind == .unavailable)
                failures += 1
            }
        }
        #expect(failures <= 2)
        #expect(try await store.interaction(tenant: "acme", id: interaction.id)?.state == "s3")
    }

    @Test func wrongPassword_failsAtStart_withoutShowingIt() throws {
        let url = try #require(TestDatabase.url)
        let wrong = try #require(PostgresURL(url.redacted.replacing("***", with: "not-the-password-4711")))
        do {
            _ = try PostgresStore(url: wrong, configuration: .init(node: "intruder"))
            Issue.record("connected with a wrong password")
        } catch {
            #expect(error.kind == .unavailable)
            #expect(error.description.contains("password authentication failed"), "\(error)")
            #expect(!error.description.contains("not-the-password-4711"), "\(error)")
        }
    }
}

struct PostgresStartTests {
    @Test func unreachableServer_failsAtStart_withTheURLRedacted() throws {
        let url = try #require(PostgresURL("postgres://switchboard:hunter2-secret@127.0.0.1:1/journal"))
        do {
            _ = try PostgresStore(url: url, configuration: .init(node: "lonely"))
            Issue.record("connected to port 1")
        } catch {
            #expect(error.kind == .unavailable)
            #expect(error.description.contains("postgres://switchboard:***@127.0.0.1:1/journal"), "\(error)")
            #expect(error.description.contains("refused"), "\(error)")
            #expect(!error.description.contains("hunter2"), "\(error)")
        }
    }
}
