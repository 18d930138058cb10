import Glibc
import Model
import Native
import Testing
@testable import Storage

/// The PostgreSQL server the tests may use: `SWITCHBOARD_TEST_POSTGRES_URL`, which `scripts/test`
/// sets after starting a throwaway server. Without it only the SQLite store is tested.
enum TestDatabase {
    static let url: PostgresURL? = getenv("SWITCHBOARD_TEST_POSTGRES_URL").flatMap { PostgresURL(String(cString: $0)) }

    static let isAvailable = url != nil

    /// A fresh schema on the test server, and the URL whose connections use it.
    static func makeSchema() throws -> (name: String, url: PostgresURL) {
        guard let url else { throw StoreError(.unavailable, "SWITCHBOARD_TEST_POSTGRES_URL is not set") }
        let name = "t_\(getpid())_\(Hex.encode(Crypto.randomBytes(6)))"
        let admin = try PQConnection(url: url)
        try admin.execute("CREATE SCHEMA \(name)")
        return (name, url.adding(parameter: "options", value: "-csearch_path%3D\(name)"))
    }

    static func dropSchema(_ name: String) {
        guard let url, let admin = try? PQConnection(url: url) else { return }
        try? admin.execute("DROP SCHEMA \(name) CASCADE")
    }
}

/// The stores the shared suite runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    static var available: [StoreKind] { TestDatabase.isAvailable ? [.sqlite, .postgres] : [.sqlite] }

    var testDescription: String { rawValue }
}

/// A store of either kind on fresh storage (a temporary file, a new schema), removed afterwards.
final class TemporaryStore: @unchecked Sendable {
    // @unchecked Sendable: set in init, read afterwards.
    let store: any InteractionStore
    private let path: String?
    private let schema: String?
    /// Other nodes' stores on the same schema, made by `otherNode`.
    private var others: [PostgresStore] = []

    /// A SQLite store.
    convenience init() throws { try self.init(.sqlite) }

    init(_ kind: StoreKind, node: String = "node-a", leaseMillis: Int64 = 15_000) throws {
        switch kind {
        case .sqlite:
            let path = "/tmp/switchboard-store-test-\(getpid())-\(Clock.monotonicNanos()).sqlite"
            self.path = path
            schema = nil
            store = try SQLiteStore(path: path)
        case .postgres:
            let (name, url) = try TestDatabase.makeSchema()
            path = nil
            schema = name
            store = try PostgresStore(url: url, configuration: Self.configuration(node: node, leaseMillis: leaseMillis))
        }
    }

    var sqlite: SQLiteStore { store as! SQLiteStore }
    var postgres: PostgresStore { store as! PostgresStore }

    /// Another node's store on the same PostgreSQL schema.
    func otherNode(_ node: String, leaseMillis: Int64 = 15_000) throws -> PostgresStore {
        let other = try PostgresStore(url: postgres.url, configuration: Self.configuration(node: node, leaseMillis: leaseMillis))
        others.append(other)
        return other
    }

    /// Nodes a and b on a fresh schema (the schema lives as long as the result).
    static func twoNodes(leaseMillis: Int64 = 15_000) throws -> (temp: TemporaryStore, a: PostgresStore, b: PostgresStore) {
        let temp = try TemporaryStore(.postgres, node: "a", leaseMillis: leaseMillis)
        return (temp, temp.postgres, try temp.otherNode("b", leaseMillis: leaseMillis))
    }

    static func configuration(node: String, leaseMillis: Int64) -> PostgresStore.Configuration {
        var configuration = PostgresStore.Configuration(node: node)
        configuration.leaseMillis = leaseMillis
        configuration.readers = 2
        configuration.writers = 2
        return configuration
    }

    deinit {
        if let path { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }
        if let schema {
            (store as? PostgresStore)?.stopHeartbeat()
            for other in others { other.stopHeartbeat() }
            TestDatabase.dropSchema(schema)
        }
    }
}

func makeInteraction(tenant: String = "acme", key: String? = nil, channel: Channel = .api, text: String = "sink clogged",
                     phone: String = "+15550001111", at millis: Int64 = Clock.unixMillis()) -> Interaction {
    Interaction(id: InteractionID(unixMillis: millis, random: Crypto.randomBytes(10)), tenant: tenant, channel: channel,
                receivedAt: millis, from: .init(phone: phone, email: "c@example.com", name: "Casey"), text: text,
                fields: ["postal_code": "94110"], idempotencyKey: key)
}

extension InteractionStore {
    /// Accepts a new interaction of tenant acme and returns it.
    func acceptNew() async throws -> Interaction {
        let interaction = makeInteraction()
        _ = try await accept(interaction, requestHash: nil)
        return interaction
    }
}
