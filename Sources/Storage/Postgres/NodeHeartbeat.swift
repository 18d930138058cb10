import Glibc
import Model
import Native
import Synchronization

/// This node's row in `nodes`, kept alive from a thread of its own: every third of the lease it
/// moves `expires_at` forward. While it does, the interactions this node leases are its own; once
/// it stops (the process died, or lost the database for longer than the lease), other nodes may
/// take them over.
///
/// A thread rather than a task: a busy cooperative pool must not make a live node look dead.
final class NodeHeartbeat: @unchecked Sendable {
    // @unchecked Sendable: after `init`, `connection` is used only on the heartbeat thread;
    // `isStopped` is atomic.
    private let connection: PQConnection
    let node: String
    let leaseMillis: Int64
    private let isStopped = Atomic<Bool>(false)
    /// When the last beat reached the database (monotonic ns).
    private let lastBeat = Atomic<UInt64>(Clock.monotonicNanos())
    private let logger = Logger(label: "store")

    /// Registers `node`. A row of the same name that is still alive belongs to a previous
    /// process of this node (killed, its lease not yet run out) or to another live node: this
    /// waits up to a lease for it to expire, and then refuses.
    init(connection: PQConnection, node: String, leaseMillis: Int64) throws(StoreError) {
        self.connection = connection
        self.node = node
        self.leaseMillis = leaseMillis
        let deadline = Clock.monotonicNanos() + UInt64(leaseMillis + 1000) * 1_000_000
        while true {
            let registered: PQRows
            do {
                registered = try connection.query("""
                    INSERT INTO nodes AS n (node, started_at, heartbeat_at, expires_at)
                    VALUES ($1, \(PostgresStore.now), \(PostgresStore.now), \(PostgresStore.now) + $2)
                    ON CONFLICT (node) DO UPDATE SET started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at,
                        expires_at = excluded.expires_at
                    WHERE n.expires_at <= \(PostgresStore.now)
                    """, [.text(node), .integer(leaseMillis)])
            } catch {
                throw PostgresStore.storeError(error)
            }
            if registered.affected == 1 {
                // Rows of nodes gone for a day tell nobody anything; whatever they still leased
                // is anyone's to take either way.
                _ = try? connection.query("DELETE FROM nodes WHERE expires_at < \(PostgresStore.now) - 86400000")
                return
            }
            guard Clock.monotonicNanos() < deadline else {
                throw StoreError(.conflict, "node name \(node) is in use by a live Switchboard node on this database; "
                                 + "give each node its own --node-id")
            }
            logger.warning("node name still leased by its previous process; waiting for the lease to run out",
                           ["node": .string(node), "lease_ms": .int(leaseMillis)])
            usleep(200_000)
        }
    }

    /// False once beats have failed for two intervals: the database is out of reach, and this
    /// node's lease will run out unless it comes back.
    var isBeating: Bool {
        Clock.monotonicNanos() - lastBeat.load(ordering: .relaxed) < 2 * interval
    }

    private var interval: UInt64 { UInt64(max(50, leaseMillis / 3)) * 1_000_000 }

    func start() {
        NativeThread.spawn(name: "sb-heartbeat") { [self] in run() }
    }

    /// Stops beating; the lease runs out on its own. (A graceful stop also expires it at once:
    /// `PostgresStore.resign()`.)
    func stop() { isStopped.store(true, ordering: .relaxed) }

    private func run() {
        var next = Clock.monotonicNanos() + interval
        var failing = false
        while !isStopped.load(ordering: .relaxed) {
            let now = Clock.monotonicNanos()
            if now < next {
                usleep(useconds_t(min(50_000, (next - now) / 1000)))
                continue
            }
            next = now + interval
            do {
                if !connection.isHealthy { try connection.reconnect() }
                _ = try connection.query("""
                    UPDATE nodes SET heartbeat_at = \(PostgresStore.now), expires_at = \(PostgresStore.now) + $2
                    WHERE node = $1 AND expires_at <> 0
                    """, [.text(node), .integer(leaseMillis)])
                lastBeat.store(Clock.monotonicNanos(), ordering: .relaxed)
                if failing { logger.info("node heartbeat restored", ["node": .string(node)]) }
                failing = false
            } catch {
                if !failing {
                    logger.error("node heartbeat failed; other nodes take this node's work over once its lease runs out",
                                 ["node": .string(node), "error": .string(Logger.describe(error))])
                }
                failing = true
            }
        }
    }
}
