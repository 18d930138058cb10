import HTTP
import Model
import Native
import Synchronization

/// A loopback server that records every request and answers with `respond`: the other end of
/// contract tests, which look at exactly what an adapter sent.
final class CaptureServer: Sendable {
    private let server: HTTPServer
    private let captured = Mutex<[HTTPRequest]>([])

    init(_ respond: @escaping @Sendable (HTTPRequest) -> HTTPResponse) throws {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.loops = 1
        configuration.shutdownGraceSeconds = 1
        let routes = RouterBuilder()
        let box = Box()
        for method in [HTTPMethod.get, .post, .patch, .put, .delete] {
            routes.add(method, "/{path...}", .immediate { request in
                box.server?.captured.withLock { $0.append(request) }
                return respond(request)
            })
        }
        server = HTTPServer(configuration: configuration, router: routes.build(), metrics: MetricsRegistry())
        box.server = self
        try server.start()
    }

    // Lets the route closures reach the server's list without a retain cycle at init time.
    private final class Box: @unchecked Sendable {
        // @unchecked Sendable: written once in init before the server starts, read after.
        weak var server: CaptureServer?
    }

    var port: Int { server.port }
    var url: String { "http://127.0.0.1:\(server.port)" }
    var requests: [HTTPRequest] { captured.withLock { $0 } }

    func stop() async throws {
        server.shutdown()
        try await offPool { self.server.waitUntilStopped() }
    }
}
