import Glibc
import Native
import Storage

extension Application {
    /// The journal `--db` names: a SQLite file (its folder created if needed), or, for a
    /// `postgres://` URL, the PostgreSQL database several nodes share.
    static func makeStore(_ options: ServeOptions) throws -> (store: any InteractionStore, queueDepth: @Sendable () -> Int) {
        if let url = PostgresURL(options.databasePath) {
            var configuration = PostgresStore.Configuration(node: options.nodeID ?? defaultNodeID())
            configuration.leaseMillis = Int64(options.leaseSeconds * 1000)
            let store = try PostgresStore(url: url, configuration: configuration)
            return (store, { store.writeQueueDepth })
        }
        try prepareDatabaseFolder(options.databasePath)
        let store = try SQLiteStore(path: options.databasePath)
        return (store, { store.writeQueueDepth })
    }

    /// The journal a command-line tool reads directly (`trace`, `replay`, `what-if`): a SQLite
    /// file that must exist, or PostgreSQL, where the tool is a short-lived node of its own.
    static func openJournal(_ database: String) throws -> any InteractionStore {
        if let url = PostgresURL(database) {
            var configuration = PostgresStore.Configuration(node: "cli-\(defaultNodeID())")
            configuration.readers = 1
            configuration.writers = 1
            return try PostgresStore(url: url, configuration: configuration)
        }
        guard FileSystem.kind(of: database) == .file else {
            throw UsageError("--db \(database): no database file there (give the server's --db)")
        }
        return try SQLiteStore(path: database, readers: 1)
    }

    /// `--db` as it may be logged: a URL's password redacted.
    static func describeDatabase(_ path: String) -> String {
        PostgresURL(path)?.redacted ?? path
    }

    /// `hostname-pid`: unique among live processes, so a restarted node never mistakes its
    /// predecessor's leases for its own.
    static func defaultNodeID() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let host = gethostname(&buffer, buffer.count) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "node"
        return "\(host)-\(getpid())"
    }
}
