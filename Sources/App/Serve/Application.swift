import HTTP
import Model
import Native
import Synchronization

/// The running server: the HTTP front, the operational endpoints, and (as the layers land) the
/// tenant registry, store and engine behind them.
final class Application: Sendable {
    let options: ServeOptions
    /// Values `${VAR}` references in tenant files resolve against: the process environment, plus
    /// the embedded sandbox's URLs when it runs.
    let environment: [String: String]
    let metrics = MetricsRegistry()
    let server: HTTPServer
    private let logger = Logger(label: "app")
    private let lifecycle = Lifecycle()

    /// Shared with the readiness check, which runs on the event loops.
    final class Lifecycle: Sendable {
        let isShuttingDown = Atomic<Bool>(false)
    }

    init(options: ServeOptions, environment: [String: String] = [:]) throws {
        self.options = options
        self.environment = environment
        var configuration = HTTPServer.Configuration()
        configuration.host = options.host
        configuration.port = options.port
        if let threads = options.threads { configuration.loops = threads }
        configuration.limits.maxBodyBytes = options.maxBodyBytes

        let routes = RouterBuilder()
        let lifecycle = self.lifecycle
        OperationalRoutes(metrics: metrics, readiness: { lifecycle.isShuttingDown.load(ordering: .relaxed) ? ["shutting_down"] : [] })
            .register(on: routes)
        if options.echoRoute { OperationalRoutes.registerEcho(on: routes) }
        ProcessMetrics.register(on: metrics)
        server = HTTPServer(configuration: configuration, router: routes.build(), metrics: metrics)
    }

    /// The bound port (useful with port 0).
    var port: Int { server.port }

    func start() throws {
        try server.start()
    }

    func shutdown() {
        guard !lifecycle.isShuttingDown.exchange(true, ordering: .relaxed) else { return }
        server.shutdown()
    }

    func reload() {
        logger.info("SIGHUP received")
    }

    func waitUntilStopped() {
        server.waitUntilStopped()
        logger.info("stopped")
    }
}
