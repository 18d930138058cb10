import HTTP
import Model
import Native
import Sandbox
import Synchronization

/// Raw HTTP to a sandbox through the libcurl client, and a webhook receiver that records what the
/// sandbox sends back.
struct SandboxClient {
    let sandbox: SandboxServer
    let curl: CurlClient

    init(configure: (inout SandboxServer.Configuration) -> Void = { _ in }) throws {
        var configuration = SandboxServer.Configuration()
        configure(&configuration)
        sandbox = try SandboxServer(configuration: configuration)
        try sandbox.start()
        curl = try CurlClient()
    }

    func send(_ method: String, _ path: String, headers: [(String, String)] = [], body: String = "") async throws -> CurlResponse {
        try await curl.perform(CurlRequest(method: method, url: sandbox.baseURL + path, headers: headers.map { (name: $0.0, value: $0.1) },
                                           body: Array(body.utf8)))
    }

    func json(_ method: String, _ path: String, _ body: JSON? = nil, headers: [(String, String)] = []) async throws -> (Int, JSON) {
        let response = try await send(method, path, headers: [("Content-Type", "application/json")] + headers, body: body?.serialized() ?? "")
        return (response.status, (try? JSONParser.parse(response.body)) ?? .null)
    }

    func stop() async throws {
        curl.shutdown()
        sandbox.shutdown()
        try await offPool { sandbox.waitUntilStopped() }
    }
}

/// A loopback server that records the webhooks it receives.
final class WebhookReceiver: Sendable {
    private let server: HTTPServer
    private let sink: Sink

    init() throws {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.loops = 1
        configuration.shutdownGraceSeconds = 1
        let routes = RouterBuilder()
        let sink = Sink()
        routes.add(.post, "/{path...}", .immediate { request in
            sink.append(request)
            return .json(["received": true])
        })
        server = HTTPServer(configuration: configuration, router: routes.build(), metrics: MetricsRegistry())
        self.sink = sink
        try server.start()
    }

    final class Sink: Sendable {
        let requests = Mutex<[HTTPRequest]>([])
        func append(_ request: HTTPRequest) { requests.withLock { $0.append(request) } }
    }

    var url: String { "http://127.0.0.1:\(server.port)" }
    var requests: [HTTPRequest] { sink.requests.withLock { $0 } }

    func stop() async throws {
        server.shutdown()
        try await offPool { self.server.waitUntilStopped() }
    }
}

func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        NativeThread.spawn(name: "test-io") { continuation.resume(with: Result { try body() }) }
    }
}
