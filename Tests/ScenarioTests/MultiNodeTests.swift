import Glibc
import Integration
import Model
import Native
import Sandbox
import Testing
@testable import App
@testable import Storage

/// Several Switchboard nodes in this process on one PostgreSQL database (a fresh schema of the
/// test server) and one sandbox.
final class Cluster: @unchecked Sendable {
    // @unchecked Sendable: set in init, read afterwards.
    let sandbox: SandboxServer
    let nodes: [Harness]
    /// The database URL the nodes use (password included: tests only).
    let databaseURL: String
    private let schema: String

    static let serverURL: String? = getenv("SWITCHBOARD_TEST_POSTGRES_URL").map { String(cString: $0) }

    /// Runs `body` with a cluster of `count` nodes named node-0, node-1, ..., and stops it after.
    static func with(nodes count: Int, leaseSeconds: Double, faults: [FaultRule] = [],
                     _ body: (Cluster) async throws -> Void) async throws {
        let cluster = try Cluster(nodes: count, leaseSeconds: leaseSeconds, faults: faults)
        do {
            try await body(cluster)
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }

    private init(nodes count: Int, leaseSeconds: Double, faults: [FaultRule]) throws {
        var configuration = SandboxServer.Configuration()
        configuration.port = 0
        configuration.smtpPort = 0
        configuration.faults = faults
        sandbox = try SandboxServer(configuration: configuration)
        try sandbox.start()
        let server = try #require(Self.serverURL)
        schema = "mn_\(getpid())_\(Hex.encode(Crypto.randomBytes(5)))"
        try PQConnection(url: try #require(PostgresURL(server))).execute("CREATE SCHEMA \(schema)")
        let url = server + "?options=-csearch_path%3D\(schema)"
        databaseURL = url
        nodes = try (0..<count).map { [sandbox] n in
            try Harness(sandbox: sandbox, ownsSandbox: n == 0) { options in
                options.databasePath = url
                options.nodeID = "node-\(n)"
                options.leaseSeconds = leaseSeconds
            }
        }
    }

    /// Stops every node (each gives its leases up) and drops the schema.
    func stop() async {
        for node in nodes.reversed() { await node.stop() }
        if let server = Self.serverURL.flatMap(PostgresURL.init), let admin = try? PQConnection(url: server) {
            try? admin.execute("DROP SCHEMA \(schema) CASCADE")
        }
    }

    /// Which node ran each step of a trace.
    static func stepNodes(_ trace: JSON) -> [String] {
        trace["steps"]?.arrayValue?.compactMap { $0["node"]?.stringValue } ?? []
    }
}

@Suite(.enabled(if: Cluster.serverURL != nil, "needs SWITCHBOARD_TEST_POSTGRES_URL (scripts/test starts a server)"),
       .timeLimit(.minutes(2)))
struct MultiNodeTests {
    static let tenant = AcmePlumbingTests.tenant

    @Test func approval_parkedByOneNode_isDecidedThroughAnother() async throws {
        try await Cluster.with(nodes: 2, leaseSeconds: 5) { cluster in
            let (first, second) = (cluster.nodes[0], cluster.nodes[1])
            let asked = try await AcmePlumbingTests.askLargeQuote(first, phone: "+15125550161")
            #expect(asked.json?["status"] == "awaiting_approval", "\(asked.bodyText)")
            let id = try #require(asked.json?["id"]?.stringValue)
            let approved = try await second.call("POST", "/v1/tenants/\(Self.tenant)/interactions/\(id)/approve",
                                                 key: Harness.acmeOperatorKey, json: ["by": "owner"])
            #expect(approved.json?["status"] == "completed", "\(approved.bodyText)")
            let trace = try await first.trace(Self.tenant, id, key: Harness.acmeOperatorKey)
            let nodes = Cluster.stepNodes(trace)
            #expect(nodes.first == "node-0" && nodes.last == "node-1", "\(nodes)")
            #expect(trace["steps"]?.arrayValue?.allSatisfy { $0["config_version"]?.stringValue?.isEmpty == false } == true)
        }
    }

    @Test func acknowledgedWork_ofANodeThatDied_isResumedByAnother_afterItsLease() async throws {
        try await Cluster.with(nodes: 1, leaseSeconds: 1) { cluster in
            // A node that acknowledged an interaction and died before running it: its lease is
            // held, and its heartbeat stops.
            var configuration = PostgresStore.Configuration(node: "doomed")
            configuration.leaseMillis = 1000
            configuration.readers = 1
            configuration.writers = 1
            let doomed = try PostgresStore(url: try #require(PostgresURL(cluster.databaseURL)), configuration: configuration)
            let now = Clock.unixMillis()
            let interaction = Interaction(
                id: InteractionID(unixMillis: now, random: Crypto.randomBytes(10)), tenant: Self.tenant, channel: .api, receivedAt: now,
                from: .init(phone: "+15125550162", email: nil, name: "Alex Kim"), text: "My kitchen sink is clogged",
                fields: ["postal_code": "78704"], idempotencyKey: "doomed-1")
            guard case .accepted = try await doomed.accept(interaction, requestHash: "h") else {
                Issue.record("not accepted"); return
            }
            doomed.stopHeartbeat()
            let died = Clock.monotonicNanos()
            let survivor = cluster.nodes[0]
            let trace = try await survivor.waitFor(Self.tenant, interaction.id.rawValue, key: Harness.acmeOperatorKey,
                                                   statuses: ["completed", "failed", "dead"], seconds: 15)
            let resumedAfter = Double(Clock.monotonicNanos() - died) / 1e9
            #expect(trace["status"] == "completed", "\(trace["reason"] ?? .null)")
            #expect(resumedAfter < 1 + 4, "completed \(resumedAfter) s after the node died, with a 1 s lease")
            #expect(Set(Cluster.stepNodes(trace)) == ["node-0"])
            let bookings = cluster.sandbox.state.value(at: "calcom.list")?.arrayValue?
                .filter { $0.value(at: "metadata.interaction_id")?.stringValue == interaction.id.rawValue }
            #expect(bookings?.count == 1)
        }
    }

    @Test func longExecution_keepsItsLease_whileAnotherNodeLooksForWork() async throws {
        // Every provider call takes 300 ms: the booking runs for several leases of 1 s.
        try await Cluster.with(nodes: 2, leaseSeconds: 1, faults: [FaultRule(latencyMillis: 300)]) { cluster in
            let started = Clock.monotonicNanos()
            let trace = try await AcmePlumbingTests.book(cluster.nodes[0], phone: "+15125550163")
            let seconds = Double(Clock.monotonicNanos() - started) / 1e9
            #expect(trace["status"] == "completed", "\(trace["reason"] ?? .null)")
            #expect(seconds > 2, "the execution took \(seconds) s: not long enough to outlive a lease")
            #expect(Set(Cluster.stepNodes(trace)) == ["node-0"])
            #expect(trace["flags"]?.arrayValue?.isEmpty == true, "\(trace["flags"] ?? .null)")
        }
    }
}
