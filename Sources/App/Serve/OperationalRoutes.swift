import HTTP
import Model

/// `/healthz`, `/readyz` and `/metrics`.
struct OperationalRoutes: Sendable {
    let metrics: MetricsRegistry
    /// Returns the names of the checks that fail now; empty means ready.
    let readiness: @Sendable () -> [String]

    private static let healthy = HTTPResponse.text("ok")
    private static let ready = HTTPResponse.json(["status": "ready"])

    /// `POST /echo`: the body back, after checking it is JSON. Benchmarks compare the server with
    /// peers on it; it is off unless `--echo-route` is given.
    static func registerEcho(on routes: RouterBuilder) {
        routes.post("/echo") { request in
            guard request.mediaType == "application/json" else {
                throw HTTPError(.unsupportedMediaType, code: "unsupported_media_type", message: "send Content-Type: application/json")
            }
            do {
                _ = try JSONParser.parse(request.body)
            } catch {
                throw HTTPError(.badRequest, code: "invalid_json", message: "\(error)")
            }
            return HTTPResponse.json(bytes: request.body)
        }
    }

    func register(on routes: RouterBuilder) {
        routes.add(.get, "/healthz", .immediate { _ in Self.healthy })
        let readiness = self.readiness
        routes.add(.get, "/readyz", .immediate { _ in
            let failing = readiness()
            if failing.isEmpty { return Self.ready }
            return HTTPResponse.json(["status": "not_ready", "failing": .array(failing.map { .string($0) })],
                                     status: .serviceUnavailable)
        })
        let metrics = self.metrics
        routes.get("/metrics") { _ in
            HTTPResponse.text(metrics.render(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
    }
}
