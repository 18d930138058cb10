import Dispatch
import Model
import Native
import Synchronization

/// An HTTP/1.1 server on non-blocking sockets and epoll: one event loop per thread, each with its
/// own SO_REUSEPORT listener, so the kernel spreads connections and loops share nothing hot.
///
/// ```swift
/// let routes = RouterBuilder()
/// routes.add(.get, "/healthz", .immediate { _ in .text("ok") })
/// let server = try HTTPServer(configuration: config, router: routes.build(), metrics: registry)
/// try server.start()
/// server.waitUntilStopped()
/// ```
public final class HTTPServer: Sendable {
    /// What every loop shares, immutable after start.
    struct Context: Sendable {
        let configuration: Configuration
        let router: Router
        let metrics: HTTPServerMetrics
    }

    public let configuration: Configuration
    private let context: Context
    private let state = Mutex<State>(State())
    private let stopped = DispatchSemaphore(value: 0)
    private let logger = Logger(label: "http")

    private struct State {
        var loops: [EventLoop] = []
        var running = 0
        var port = 0
        var isStarted = false
        var isShuttingDown = false
    }

    /// - Parameters:
    ///   - metrics: the registry `/metrics` renders; the server adds its request families to it.
    public init(configuration: Configuration, router: Router, metrics: MetricsRegistry) {
        var configuration = configuration
        configuration.loops = max(1, configuration.loops)
        self.configuration = configuration
        let serverMetrics = HTTPServerMetrics(routes: router.routes.map(\.pattern), loops: configuration.loops)
        context = Context(configuration: configuration, router: router, metrics: serverMetrics)
        metrics.addCollector { serverMetrics.write(into: &$0) }
    }

    /// The port actually bound (differs from the configuration when it asked for 0).
    public var port: Int { state.withLock { $0.port } }

    /// Requests whose handlers are still running.
    public var requestsInFlight: Int { context.metrics.inFlight.load(ordering: .relaxed) }

    public var openConnections: Int { context.metrics.connections.load(ordering: .relaxed) }

    /// Binds the listeners and starts the loops.
    ///
    /// - Throws: `ServerError.alreadyStarted`, or a `SystemError` naming the address when binding fails.
    public func start() throws {
        try state.withLock { state in
            guard !state.isStarted else { throw ServerError.alreadyStarted }
            state.isStarted = true
        }
        var listeners: [Socket] = []
        var port = configuration.port
        do {
            for _ in 0..<configuration.loops {
                let socket = try Socket.makeListener(host: configuration.host, port: port, reusePort: true)
                if port == 0 { port = try socket.localPort() }
                listeners.append(socket)
            }
        } catch {
            for listener in listeners { listener.close() }
            throw error
        }
        var loops: [EventLoop] = []
        for (index, listener) in listeners.enumerated() {
            loops.append(try EventLoop(index: index, context: context, listener: listener) { [weak self] in
                self?.loopStopped()
            })
        }
        state.withLock { state in
            state.loops = loops
            state.running = loops.count
            state.port = port
        }
        for loop in loops {
            NativeThread.spawn(name: "http-loop-\(loop.index)") { loop.run() }
        }
        logger.info("listening", ["host": .string(configuration.host), "port": .int(Int64(port)),
                                  "loops": .int(Int64(loops.count))])
    }

    /// Stops accepting, lets in-flight requests finish (up to the grace period), then stops the
    /// loops. Returns at once; `waitUntilStopped()` blocks until the loops are gone.
    public func shutdown() {
        let loops = state.withLock { state -> [EventLoop] in
            guard !state.isShuttingDown else { return [] }
            state.isShuttingDown = true
            return state.loops
        }
        if !loops.isEmpty {
            logger.info("shutting down", ["in_flight": .int(Int64(requestsInFlight)),
                                          "connections": .int(Int64(openConnections))])
        }
        for loop in loops { loop.requestShutdown() }
    }

    /// Blocks the calling thread until every loop has stopped (never call it from a Swift task).
    public func waitUntilStopped() {
        stopped.wait()
        stopped.signal()  // later callers return too
    }

    private func loopStopped() {
        let allStopped = state.withLock { state -> Bool in
            state.running -= 1
            return state.running == 0
        }
        if allStopped { stopped.signal() }
    }

    static let notFoundResponse = HTTPResponse.error(.notFound, code: "not_found", message: "no such resource")

    /// The answer for an error a handler threw.
    static func response(for error: any Error, logger: Logger) -> HTTPResponse {
        if let error = error as? AttributedError {
            var response = response(for: error.underlying, logger: logger)
            response.keyName = error.keyName
            return response
        }
        if let error = error as? any HTTPResponseError { return error.response }
        logger.error("handler failed", ["error": .string(Logger.describe(error))])
        return HTTPResponse.error(.internalServerError, code: "internal_error",
                                  message: "an internal error occurred; it has been logged")
    }
}

public enum ServerError: Error, CustomStringConvertible {
    case alreadyStarted

    public var description: String {
        switch self {
        case .alreadyStarted: return "the server was already started; create a new HTTPServer to serve again"
        }
    }
}
