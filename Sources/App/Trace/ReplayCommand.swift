import Integration
import Model
import Native
import Routing
import Storage

/// `switchboard replay ID --tenant T (--url URL | --db PATH --tenants DIR)`: runs a failed or dead
/// interaction again (a dead one from the step that gave up, a failed one from the start of its
/// flow) and prints where it ended.
enum ReplayCommand {
    static var help: String {
        """
        Usage: switchboard replay ID --tenant T (--url URL | --db PATH --tenants DIR)

        Runs a failed or dead interaction again: a dead one from the step that gave up, a failed one
        from the start of its flow (its bookings, payments and messages happen again). With --url the
        server does it; with --db this process does, with the tenant files in --tenants and their real
        providers, so prefer --url while a server serves that database.

        Options:
        \(Flag.helpLines(OperatorTarget.flags + [tenantsFlag]))
          --help                      this text

        """
    }

    static let tenantsFlag = Flag(name: "tenants", environment: "SWITCHBOARD_TENANTS", valueName: "DIR",
                                  help: "with --db: the tenant files", defaultValue: "tenants")

    static func run(_ arguments: [String], environment: [String: String]) throws -> Int32 {
        ToolLogging.quiet(environment)
        let parsed = try ParsedFlags.parse(arguments, flags: OperatorTarget.flags + [tenantsFlag], switchNames: ["help"],
                                           allowPositional: true, environment: environment)
        if parsed.contains("help") {
            print(help, terminator: "")
            return 0
        }
        guard parsed.positional.count == 1, let id = InteractionID(parsed.positional[0]) else {
            throw UsageError("replay takes one interaction id, such as int_01JD2M3XK8Q4N6V9T0R5B7C1E2")
        }
        let (target, tenant) = try OperatorTarget.resolve(parsed, environment: environment)
        let folder = parsed["tenants"] ?? "tenants"
        let trace = try BlockingTask.run { () async throws -> JSON in
            switch target {
            case .server(let url, let key):
                _ = try await OperatorTarget.call("POST", url: url, key: key, tenant: tenant, path: "/interactions/\(id)/replay")
                return try await OperatorTarget.call("GET", url: url, key: key, tenant: tenant, path: "/interactions/\(id)")
            case .database(let path):
                return try await replayHere(id, tenant: tenant, database: path, tenants: folder, environment: environment)
            }
        }
        print("Replayed \(id) of \(tenant).\n")
        print(TraceReport(trace: trace).render(), terminator: "")
        return 0
    }

    /// Replays in this process: the tenant files loaded as `serve` loads them, the real providers.
    static func replayHere(_ id: InteractionID, tenant: String, database: String, tenants folder: String,
                           environment: [String: String]) async throws -> JSON {
        let metrics = MetricsRegistry()
        let registry = TenantRegistry(directory: folder, loader: TenantConfigLoader(environment: environment), metrics: metrics)
        let summary = registry.reload()
        guard registry.snapshot(for: TenantID(tenant)) != nil else {
            throw OperatorTargetError(message: "tenant \(tenant) is not loaded from \(folder): \(summary.description)")
        }
        let store = try Application.openJournal(database)
        let runtime = try IntegrationRuntime(metrics: metrics)
        defer { runtime.client.shutdown() }
        var options = EngineOptions()
        options.publicURL = environment["SWITCHBOARD_PUBLIC_URL"] ?? options.publicURL
        let engine = Engine(store: store, tenants: registry, runtime: runtime, metrics: metrics, options: options)
        _ = try await engine.replay(tenant: tenant, id: id)
        await engine.shutdown(timeoutSeconds: 1)
        return try await OperatorTarget.trace(database: database, tenant: tenant, id: id)
    }
}
