import Model
import Native

/// The PostgreSQL journal, for several Switchboard nodes sharing one database.
///
/// Reads and single statements go through a small pool of connections; journal writes through
/// a few writer lanes that group-commit pipelined batches. Every unfinished interaction a node
/// runs is leased to it (`interactions.lease_owner`); the lease holds while the node's heartbeat
/// (`nodes.expires_at`) does, and every journal write checks it, so two nodes never run the same
/// interaction and a node that lost its lease cannot write over its successor's work.
public final class PostgresStore: LeasedStore, Sendable {
    public let url: PostgresURL
    public let configuration: Configuration
    let pool: PostgresPool
    let writer: PostgresWriter
    private let heartbeat: NodeHeartbeat

    /// The node this store leases interactions to.
    public var node: String { configuration.node }
    var leaseMillis: Int64 { configuration.leaseMillis }

    /// Connects, applies the schema migrations this database lacks, and registers this node.
    /// - Throws: `StoreError` naming the server (password redacted) when it cannot be reached,
    ///   refuses the credentials, or the node name is taken by a live node.
    public init(url: PostgresURL, configuration: Configuration) throws(StoreError) {
        self.url = url
        self.configuration = configuration
        func connect() throws(StoreError) -> PQConnection {
            do {
                return try PQConnection(url: url, applicationName: "switchboard \(configuration.node)",
                                        connectTimeoutSeconds: configuration.connectTimeoutSeconds)
            } catch {
                throw StoreError(.unavailable, "cannot connect to PostgreSQL: \(error.description) — check the --db URL "
                                 + "and that the server accepts connections from this host")
            }
        }
        let first = try connect()
        do {
            try PostgresSchema.migrate(first)
        } catch {
            throw StoreError(.unavailable, "could not migrate the PostgreSQL schema: \(Self.storeError(error).description)")
        }
        heartbeat = try NodeHeartbeat(connection: first, node: configuration.node, leaseMillis: configuration.leaseMillis)
        var readers: [PQConnection] = []
        for _ in 0..<max(1, configuration.readers) { readers.append(try connect()) }
        var writers: [PQConnection] = []
        for _ in 0..<max(1, configuration.writers) { writers.append(try connect()) }
        pool = PostgresPool(connections: readers, label: "reader")
        writer = PostgresWriter(connections: writers, maxBatch: configuration.maxBatch)
        heartbeat.start()
    }

    deinit { heartbeat.stop() }

    public var isReachable: Bool { heartbeat.isBeating }

    /// Writes waiting for a writer lane.
    public var writeQueueDepth: Int { writer.queueDepth }

    /// Stops the heartbeat without expiring this node's lease (as a crash would): tests of
    /// lease expiry use it.
    func stopHeartbeat() { heartbeat.stop() }

    /// The database's clock in Unix ms: leases and heartbeats are measured on one clock, whatever
    /// the nodes' clocks say.
    static let now = "(extract(epoch FROM clock_timestamp()) * 1000)::bigint"

    static func storeError(_ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? PQError {
            return StoreError(error.isConstraintViolation ? .conflict : .unavailable, error.description)
        }
        return StoreError(.corrupt, Logger.describe(error))
    }
}

extension PostgresStore {
    /// How the store connects and leases.
    public struct Configuration: Sendable {
        /// This node's name in leases: unique among the nodes sharing the database.
        public var node: String
        /// How long a node's leases outlive its last heartbeat (beats come every third of it).
        public var leaseMillis: Int64 = 15_000
        /// Connections for reads, claims and single statements.
        public var readers = 4
        /// Writer lanes (a connection each) for the journal's group commit.
        public var writers = 2
        /// Most writes committed in one batch.
        public var maxBatch = 256
        public var connectTimeoutSeconds = 5

        public init(node: String) {
            self.node = node
        }
    }
}
