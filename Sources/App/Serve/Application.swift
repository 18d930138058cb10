import HTTP
import Model
import Native
import Routing
import Synchronization

/// The running server: the HTTP front, the operational endpoints, and (as the layers land) the
/// tenant registry, store and engine behind them.
final class Application: Sendable {
    let options: ServeOptions
    let metrics = MetricsRegistry()
    let server: HTTPServer
    let tenants: TenantRegistry
    private let logger = Logger(label: "app")
    private let lifecycle = Lifecycle()

    /// Shared with the readiness check, which runs on the event loops.
    final class Lifecycle: Sendable {
        let isShuttingDown = Atomic<Bool>(false)
    }

    init(options: ServeOptions) throws {
        self.options = options
        var configuration = HTTPServer.Configuration()
        configuration.host = options.host
        configuration.port = options.port
        if let threads = options.threads { configuration.loops = threads }
        configuration.limits.maxBodyBytes = options.maxBodyBytes

        let routes = RouterBuilder()
        let lifecycle = self.lifecycle
        let tenants = Self.makeTenantRegistry(options: options, metrics: metrics)
        self.tenants = tenants
        OperationalRoutes(metrics: metrics, readiness: {
            (lifecycle.isShuttingDown.load(ordering: .relaxed) ? ["shutting_down"] : []) + Self.tenantReadiness(tenants)
        }).register(on: routes)
        AdminRoutes(tenants: tenants, adminToken: options.adminToken).register(on: routes)
        if options.echoRoute { OperationalRoutes.registerEcho(on: routes) }
        ProcessMetrics.register(on: metrics)
        server = HTTPServer(configuration: configuration, router: routes.build(), metrics: metrics)
    }

    /// The bound port (useful with port 0).
    var port: Int { server.port }

    func start() throws {
        startTenants()
        try server.start()
    }

    func shutdown() {
        guard !lifecycle.isShuttingDown.exchange(true, ordering: .relaxed) else { return }
        tenants.stopWatching()
        server.shutdown()
    }

    func reload() {
        logger.info("SIGHUP received")
        reloadTenants()
    }

    func waitUntilStopped() {
        server.waitUntilStopped()
        logger.info("stopped")
    }
}
