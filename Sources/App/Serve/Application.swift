import Glibc
import HTTP
import Integration
import Interaction
import Model
import Native
import Routing
import Sandbox
import Storage
import Synchronization

/// The running server: the HTTP front, the tenant configuration, the journal and the engine,
/// and (with `--sandbox`) the simulated providers.
final class Application: Sendable {
    let options: ServeOptions
    /// Values `${VAR}` references in tenant files resolve against: the process environment, plus
    /// the embedded sandbox's URLs when it runs.
    let environment: [String: String]
    let metrics = MetricsRegistry()
    let server: HTTPServer
    /// Every endpoint served (the security tests walk it so that no route escapes them).
    let router: Router
    let store: any InteractionStore
    let engine: Engine
    /// Records each configuration version that goes into service in the audit log.
    let configAudit: ConfigAudit
    let tenants: TenantRegistry
    let sandbox: SandboxServer?
    /// Unfinished interactions per tenant for /metrics, refreshed from the journal.
    let unfinishedMetrics: UnfinishedMetrics
    let retention: JournalRetention?
    private let logger = Logger(label: "app")
    private let lifecycle = Lifecycle()

    /// Shared with the readiness check, which runs on the event loops.
    final class Lifecycle: Sendable {
        let isShuttingDown = Atomic<Bool>(false)
    }

    /// - Parameters:
    ///   - environment: resolves `${VAR}` in tenant files.
    ///   - sandbox: simulated providers already started; their URLs join the environment and they
    ///     are told where each tenant's webhooks go.
    init(options: ServeOptions, environment: [String: String], sandbox: SandboxServer? = nil) throws {
        self.options = options
        self.sandbox = sandbox
        var environment = environment
        if let sandbox { environment = environment.merging(sandbox.environment) { existing, _ in existing } }
        let publicURL = options.publicURL ?? environment["SWITCHBOARD_PUBLIC_URL"] ?? "http://\(Self.reachableHost(options.host)):\(options.port)"
        environment["SWITCHBOARD_PUBLIC_URL"] = environment["SWITCHBOARD_PUBLIC_URL"] ?? publicURL

        self.environment = environment
        tenants = TenantRegistry(directory: options.tenantsDirectory, loader: TenantConfigLoader(environment: environment),
                                 metrics: metrics)
        let loaded = tenants.reload()
        let (store, queueDepth) = try Self.makeStore(options)
        self.store = store
        let runtime = try IntegrationRuntime(metrics: metrics)
        var engineOptions = EngineOptions()
        engineOptions.publicURL = publicURL
        if let url = options.classifierURL {
            engineOptions.classifier = ChatCompletionsClassifier(
                configuration: .init(baseURL: url, apiKey: environment["SWITCHBOARD_CLASSIFIER_KEY"] ?? "", model: options.classifierModel),
                runtime: runtime)
        }
        engine = Engine(store: store, tenants: tenants, runtime: runtime, metrics: metrics, options: engineOptions)
        let configAudit = ConfigAudit(store: store, logger: Logger(label: "audit"))
        self.configAudit = configAudit
        configAudit.record(loaded.changes, actor: "start-up", onlyIfNew: true)
        tenants.onReload { summary, cause in
            configAudit.record(summary.changes, actor: cause == .fileChange ? "file change" : "SIGHUP")
        }
        if let sandbox { SandboxWiring.register(tenants.snapshots, on: sandbox, publicURL: publicURL) }

        var configuration = HTTPServer.Configuration()
        configuration.host = options.host
        configuration.port = options.port
        if let threads = options.threads { configuration.loops = threads }
        configuration.limits.maxBodyBytes = options.maxBodyBytes
        configuration.accessLog = options.accessLog

        let routes = RouterBuilder()
        let lifecycle = self.lifecycle
        let tenants = self.tenants
        let leases = store as? any LeasedStore
        OperationalRoutes(metrics: metrics, readiness: {
            (lifecycle.isShuttingDown.load(ordering: .relaxed) ? ["shutting_down"] : []) + Self.tenantReadiness(tenants)
                + (leases?.isReachable == false ? ["journal_unreachable"] : [])
        }).register(on: routes)
        AdminRoutes(tenants: tenants, adminToken: options.adminToken).register(on: routes)
        if options.echoRoute { OperationalRoutes.registerEcho(on: routes) }
        let access = TenantAccess(tenants: tenants)
        InteractionRoutes(engine: engine, access: access).register(on: routes)
        WebhookRoutes(engine: engine, access: access, metrics: metrics).register(on: routes)
        CheckoutPages.register(on: routes)
        OperatorRoutes(tenants: tenants, access: access, store: store).register(on: routes)
        Self.dashboard(options.publicDirectory, logger: logger).register(on: routes)
        unfinishedMetrics = UnfinishedMetrics(store: store, tenants: tenants, metrics: metrics)
        if let settings = options.retention {
            retention = JournalRetention(store: store, tenants: tenants, settings: settings, metrics: metrics)
        } else {
            retention = nil
        }
        ProcessMetrics.register(on: metrics)
        metrics.addCollector { writer in
            writer.family("switchboard_journal_queue_depth", help: "Writes waiting for the journal's group commit.", kind: .gauge)
            writer.sample("switchboard_journal_queue_depth", labels: Labels(), value: queueDepth())
        }
        router = routes.build()
        server = HTTPServer(configuration: configuration, router: router, metrics: metrics)
        tenantLogger.info("tenants loaded", ["folder": .string(options.tenantsDirectory), "tenants": .int(Int64(tenants.tenantCount)),
                                            "failed": .int(Int64(loaded.failed.count))])
    }

    /// The bound port (useful with port 0).
    var port: Int { server.port }

    func start() throws {
        startWatchingTenants()
        try server.start()
        if sandbox == nil, options.registerWithSandbox, let sandboxURL = environment["SWITCHBOARD_SANDBOX_URL"] {
            try registerWithExternalSandbox(sandboxURL)
        }
        engine.start()
        unfinishedMetrics.start()
        retention?.start()
        logger.info("serving", ["tenants": .array(tenants.snapshots.map { .string($0.id.rawValue) }),
                                "database": .string(Self.describeDatabase(options.databasePath)),
                                "node": (store as? any LeasedStore).map { .string($0.node) } ?? .null])
    }

    /// Tells a sandbox running on its own where this server's tenants want their webhooks.
    private func registerWithExternalSandbox(_ sandboxURL: String) throws {
        let snapshots = tenants.snapshots
        let publicURL = environment["SWITCHBOARD_PUBLIC_URL"] ?? ""
        let failure = ErrorBox()
        let done = DispatchSemaphoreBox()
        Task {
            do {
                let client = try HTTPClient()
                defer { client.shutdown() }
                try await SandboxWiring.register(snapshots, at: sandboxURL, publicURL: publicURL, client: client)
            } catch {
                failure.set(error)
            }
            done.signal()
        }
        done.wait()
        if let error = failure.value { throw error }
        logger.info("registered the tenants with the sandbox", ["sandbox": .string(sandboxURL)])
    }

    /// Stops accepting, lets requests in flight finish, and gives running executions a moment to
    /// reach a durable point (anything unfinished resumes from the journal on the next start).
    func shutdown() {
        guard !lifecycle.isShuttingDown.exchange(true, ordering: .relaxed) else { return }
        tenants.stopWatching()
        unfinishedMetrics.stop()
        retention?.stop()
        server.shutdown()
    }

    func reload() {
        logger.info("SIGHUP received")
        reloadTenants()
    }

    func waitUntilStopped() {
        server.waitUntilStopped()
        let engine = self.engine
        let configAudit = self.configAudit
        let done = DispatchSemaphoreBox()
        Task {
            await engine.shutdown(timeoutSeconds: 1.5)
            await configAudit.finish()
            done.signal()
        }
        done.wait()
        sandbox?.shutdown()
        logger.info("stopped")
    }

    static func reachableHost(_ host: String) -> String {
        host == "0.0.0.0" || host == "::" || host.isEmpty ? "127.0.0.1" : host
    }

    /// Creates the folder of the database file (`var/` on the embedded default).
    static func prepareDatabaseFolder(_ path: String) throws {
        guard path != ":memory:", let slash = path.lastIndex(of: "/") else { return }
        let folder = String(path[..<slash])
        guard !folder.isEmpty else { return }
        try FileSystem.makeDirectories(folder)
    }
}
