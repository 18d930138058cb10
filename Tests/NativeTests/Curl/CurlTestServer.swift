import HTTP
import Model
import Native

/// A loopback HTTP server with the routes the client tests need.
func makeCurlTestServer(idleTimeoutSeconds: Double = 60) throws -> HTTPServer {
    var configuration = HTTPServer.Configuration()
    configuration.port = 0
    configuration.loops = 1
    configuration.idleTimeoutSeconds = idleTimeoutSeconds
    let routes = RouterBuilder()
    routes.add(.get, "/hello", .immediate { _ in .text("hello") })
    // Answers with what arrived: method, target, headers and body.
    let inspect: HTTPHandler = .immediate { request in
        var headers = JSONObject()
        for (name, value) in request.headers { headers[name.lowercased()] = .string(value) }
        return .json(["method": .string(request.method.rawValue), "target": .string(request.target),
                      "headers": .object(headers), "body": .string(request.bodyString)])
    }
    for method in [HTTPMethod.get, .post, .put, .patch, .delete] { routes.add(method, "/inspect", inspect) }
    routes.get("/sleep/{ms}") { request in
        let ms = UInt64(request.parameters["ms"] ?? "0") ?? 0
        try await Task.sleep(nanoseconds: ms * 1_000_000)
        return .text("slept \(ms)")
    }
    routes.get("/big/{kib}") { request in
        let kib = Int(request.parameters["kib"] ?? "1") ?? 1
        return HTTPResponse(status: .ok, body: [UInt8](repeating: UInt8(ascii: "x"), count: kib * 1024))
    }
    routes.add(.get, "/status/{code}", .immediate { request in
        let code = Int(request.parameters["code"] ?? "500") ?? 500
        return HTTPResponse(status: HTTPStatus(code), headers: [("Retry-After", "3")], body: Array("status \(code)".utf8))
    })
    let server = HTTPServer(configuration: configuration, router: routes.build(), metrics: MetricsRegistry())
    try server.start()
    return server
}

/// Runs blocking work on a fresh thread and awaits its result.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        NativeThread.spawn(name: "test-io") { continuation.resume(with: Result { try body() }) }
    }
}

func stop(_ server: HTTPServer) async throws {
    server.shutdown()
    try await offPool { server.waitUntilStopped() }
}
