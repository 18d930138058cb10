import Model
import Native
import Synchronization
import Testing
@testable import HTTP

/// The access log's lines over real loopback sockets, and its sampler driven by hand.
@Suite(.timeLimit(.minutes(2)))
struct AccessLogTests {
    // MARK: - Lines

    @Test func line_hasTheRouteTemplateAndTenant_neverTheQueryOrPath() async throws {
        let lines = LineCollector()
        let server = try makeLoggedServer(lines)
        let port = server.port
        let response = try await offPool {
            let client = try TestClient(port: port)
            try client.send("GET /v1/tenants/acme-plumbing/things/thing-42?token=hunter2&x=1 HTTP/1.1\r\nHost: t\r\n"
                            + "Authorization: Bearer sekrit-key\r\n\r\n")
            return try client.readResponse()
        }
        try await stop(server)
        #expect(response.status == 200)
        let line = try #require(lines.only)
        #expect(line["method"] == "GET")
        #expect(line["route"] == "/v1/tenants/{tenant}/things/{id}")
        #expect(line["tenant"] == "acme-plumbing")
        #expect(line["status"] == 200)
        #expect(line["bytes"] == .int(Int64("thing thing-42".utf8.count)))
        #expect(line["duration_ms"]?.doubleValue.map { $0 >= 0 && $0 < 5_000 } == true)
        #expect(line["request_id"]?.stringValue == response.header("X-Request-Id"))
        #expect(line["key"] == nil)
        let text = String(decoding: JSON.object(line).serializedBytes(), as: UTF8.self)
        for secret in ["hunter2", "token", "thing-42", "sekrit", "Bearer"] {
            #expect(!text.contains(secret), "\(secret) leaked into \(text)")
        }
    }

    @Test func line_forAnUnmatchedPath_hasTheStatusAndNoRoute() async throws {
        let lines = LineCollector()
        let server = try makeLoggedServer(lines)
        let port = server.port
        let response = try await offPool {
            let client = try TestClient(port: port)
            try client.send("GET /nothing/here?password=hunter2 HTTP/1.1\r\nHost: t\r\n\r\n")
            return try client.readResponse()
        }
        try await stop(server)
        #expect(response.status == 404)
        let line = try #require(lines.only)
        #expect(line["status"] == 404)
        #expect(line["route"] == nil)
        #expect(line["tenant"] == nil)
        let text = String(decoding: JSON.object(line).serializedBytes(), as: UTF8.self)
        #expect(!text.contains("nothing") && !text.contains("hunter2"))
    }

    @Test func line_leavesOutATenantParameterThatIsNoTenantID() async throws {
        let lines = LineCollector()
        let server = try makeLoggedServer(lines)
        let port = server.port
        _ = try await offPool {
            let client = try TestClient(port: port)
            try client.send("GET /v1/tenants/%3Cscript%3E/things/1 HTTP/1.1\r\nHost: t\r\n\r\n")
            return try client.readResponse()
        }
        try await stop(server)
        let line = try #require(lines.only)
        #expect(line["route"] == "/v1/tenants/{tenant}/things/{id}")
        #expect(line["tenant"] == nil)
    }

    @Test func line_namesTheKeyAHandlerAttributed_forAnswersAndThrownErrors() async throws {
        let lines = LineCollector()
        let server = try makeLoggedServer(lines)
        let port = server.port
        let statuses = try await offPool {
            let client = try TestClient(port: port)
            return try ["ok", "fail"].map { outcome -> Int in
                try client.send("POST /v1/tenants/acme-plumbing/keyed/\(outcome) HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n")
                return try client.readResponse().status
            }
        }
        try await stop(server)
        #expect(statuses == [200, 422])
        #expect(lines.all.map { $0["key"]?.stringValue } == ["website", "website"])
        #expect(lines.all.map { $0["status"] } == [200, 422])
    }

    @Test func off_writesNoLines_butStillAnswersWithARequestID() async throws {
        let lines = LineCollector()
        let server = try makeLoggedServer(lines, mode: .off)
        let port = server.port
        let response = try await offPool {
            let client = try TestClient(port: port)
            try client.send("GET /v1/tenants/acme-plumbing/things/1 HTTP/1.1\r\nHost: t\r\n\r\n")
            return try client.readResponse()
        }
        try await stop(server)
        #expect(response.status == 200)
        #expect(response.header("X-Request-Id").map(isMinted) == true)
        #expect(lines.all.isEmpty)
    }

    // MARK: - X-Request-Id

    @Test func requestID_fromTheCaller_isReturnedLoggedAndGivenToTheHandler() async throws {
        let lines = LineCollector()
        let server = try makeLoggedServer(lines)
        let port = server.port
        let response = try await offPool {
            let client = try TestClient(port: port)
            try client.send("GET /request-id HTTP/1.1\r\nHost: t\r\nX-Request-Id: abc-123\r\n\r\n")
            return try client.readResponse()
        }
        try await stop(server)
        #expect(response.header("X-Request-Id") == "abc-123")
        #expect(response.bodyString == "abc-123")
        #expect(lines.only?["request_id"] == "abc-123")
    }

    @Test func requestID_missing_isMinted_andDiffersPerRequest() async throws {
        let lines = LineCollector()
        let server = try makeLoggedServer(lines)
        let port = server.port
        let responses = try await offPool {
            let client = try TestClient(port: port)
            return try (0..<3).map { _ in
                try client.send("GET /request-id HTTP/1.1\r\nHost: t\r\n\r\n")
                return try client.readResponse()
            }
        }
        try await stop(server)
        let ids = responses.compactMap { $0.header("X-Request-Id") }
        #expect(ids.count == 3 && ids.allSatisfy(isMinted))
        #expect(Set(ids).count == 3)
        #expect(responses.map(\.bodyString) == ids)
        #expect(lines.all.map { $0["request_id"]?.stringValue } == ids)
    }

    @Test func requestID_thatIsNotSafeToLog_isReplaced() async throws {
        let lines = LineCollector()
        let server = try makeLoggedServer(lines)
        let port = server.port
        let offered = ["has space", "quote\"d", "<script>", String(repeating: "a", count: 129), "caf\u{E9}"]
        let returned = try await offPool {
            let client = try TestClient(port: port)
            return try offered.map { id -> String? in
                try client.send(Array("GET /request-id HTTP/1.1\r\nHost: t\r\nX-Request-Id: \(id)\r\n\r\n".utf8))
                return try client.readResponse().header("X-Request-Id")
            }
        }
        try await stop(server)
        #expect(returned.allSatisfy { $0.map(isMinted) == true }, "\(returned)")
        #expect(lines.all.count == offered.count)
    }

    @Test func requestID_onAParserError_isStillReturned() async throws {
        let lines = LineCollector()
        let server = try makeLoggedServer(lines)
        let port = server.port
        let response = try await offPool {
            let client = try TestClient(port: port)
            try client.send("GET /request-id HTTP/1.1\r\nHost: t\r\nBad Header: x\r\n\r\n")
            return try client.readResponse()
        }
        try await stop(server)
        #expect(response.status == 400)
        #expect(response.header("X-Request-Id").map(isMinted) == true)
        let line = try #require(lines.only)
        #expect(line["status"] == 400)
        #expect(line["request_id"]?.stringValue == response.header("X-Request-Id"))
    }

    @Test func requestID_acceptable_coversTheCommonFormats() {
        #expect(RequestID.isAcceptable("abc-123"))
        #expect(RequestID.isAcceptable("0b7f1c1e-3a52-4b1e-9d3c-6f1b2a9e7c11"))
        #expect(RequestID.isAcceptable("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8"))
        #expect(RequestID.isAcceptable(String(repeating: "x", count: 128)))
        #expect(!RequestID.isAcceptable(""))
        #expect(!RequestID.isAcceptable(String(repeating: "x", count: 129)))
        #expect(!RequestID.isAcceptable("tab\there"))
        #expect(!RequestID.isAcceptable("back\\slash"))
    }

    @Test func requestIDGenerator_mintsTimeOrderedHex() {
        var generator = RequestIDGenerator(seed: Array(repeating: 7, count: 16))
        let first = generator.next(unixMillis: 0x0193_A4F2_C1E7)
        let second = generator.next(unixMillis: 0x0193_A4F2_C1E8)
        #expect(isMinted(first) && isMinted(second))
        #expect(first.hasPrefix("0193a4f2c1e7"))
        #expect(first < second)
        #expect(first.dropFirst(12) != second.dropFirst(12))
    }

    // MARK: - Sampling

    @Test func sampler_logsEveryRequestUpToTheBudget_thenOneInK() {
        var sampler = AccessLogSampler(budget: 10, slowNanos: 1_000_000_000)
        let start: UInt64 = 5_000_000_000
        let decisions = (0..<40).map { i in
            sampler.decide(status: 200, elapsedNanos: 1_000, now: start + UInt64(i) * 1_000_000)
        }
        #expect(decisions[0..<10].allSatisfy { $0 == .log(sampleRate: 1) })
        // Past the budget, in a second that followed no busy one: one in max(2, seen / budget).
        let logged = decisions[10...].filter { $0 != .skip }
        #expect(logged.count >= 5 && logged.count <= 15, "\(logged.count)")
        #expect(logged.allSatisfy { if case .log(let rate) = $0 { rate >= 2 } else { false } })
    }

    @Test func sampler_inASteadyBusySecond_writesAboutTwiceTheBudget() {
        var sampler = AccessLogSampler(budget: 100, slowNanos: 1_000_000_000)
        var lines = [0, 0, 0]
        var rated = 0
        for second in 0..<3 {
            for i in 0..<10_000 {
                let now = UInt64(second + 1) * 1_000_000_000 + UInt64(i) * 50_000
                if case .log(let rate) = sampler.decide(status: 200, elapsedNanos: 1_000, now: now) {
                    lines[second] += 1
                    rated += rate
                }
            }
        }
        // The first second ramps up (budget × ln(requests / budget) extra); later ones sample at
        // the previous second's rate, 10,000 / 100 = 100.
        #expect(lines[0] > 100 && lines[0] < 1_000, "\(lines)")
        #expect(lines[1] >= 150 && lines[1] <= 250, "\(lines)")
        #expect(lines[2] >= 150 && lines[2] <= 250, "\(lines)")
        // Weighted by their sample rates, the lines account for roughly every request.
        #expect(rated > 20_000 && rated < 40_000, "\(rated)")
    }

    @Test func sampler_alwaysLogsErrorsAndSlowRequests() {
        var sampler = AccessLogSampler(budget: 1, slowNanos: 500_000_000)
        let now: UInt64 = 9_000_000_000
        #expect(sampler.decide(status: 200, elapsedNanos: 0, now: now) == .log(sampleRate: 1))
        for i in 0..<50 {
            let later = now + UInt64(i)
            #expect(sampler.decide(status: 404, elapsedNanos: 0, now: later) == .log(sampleRate: 1))
            #expect(sampler.decide(status: 503, elapsedNanos: 0, now: later) == .log(sampleRate: 1))
            #expect(sampler.decide(status: 200, elapsedNanos: 600_000_000, now: later) == .log(sampleRate: 1))
        }
    }

    @Test func sampler_afterAQuietSpell_logsEveryRequestAgain() {
        var sampler = AccessLogSampler(budget: 5, slowNanos: 1_000_000_000)
        for i in 0..<1_000 { _ = sampler.decide(status: 200, elapsedNanos: 0, now: 1_000_000_000 + UInt64(i)) }
        let quiet: UInt64 = 10_000_000_000
        let next = (0..<7).map { sampler.decide(status: 200, elapsedNanos: 0, now: quiet + UInt64($0)) }
        // The busy second is long gone: past the budget it samples one in 2, not one in 200.
        #expect(next == Array(repeating: .log(sampleRate: 1), count: 5) + [.skip, .log(sampleRate: 2)])
    }

    @Test func sampler_splitsTheServersBudgetAcrossLoops() {
        #expect(AccessLogSampler(HTTPServer.AccessLog(mode: .sampled(linesPerSecond: 200)), loops: 4)?.budget == 50)
        #expect(AccessLogSampler(HTTPServer.AccessLog(mode: .sampled(linesPerSecond: 2)), loops: 4)?.budget == 1)
        #expect(AccessLogSampler(HTTPServer.AccessLog(mode: .all), loops: 4)?.budget == nil)
        #expect(AccessLogSampler(HTTPServer.AccessLog(mode: .off), loops: 4) == nil)
    }

    @Test func sampledServer_underABurst_writesFewerLinesThanRequests() async throws {
        let lines = LineCollector()
        let server = try makeLoggedServer(lines, mode: .sampled(linesPerSecond: 20))
        let port = server.port
        let statuses = try await offPool {
            let client = try TestClient(port: port)
            var batch = ""
            for _ in 0..<300 { batch += "GET /v1/tenants/acme-plumbing/things/1 HTTP/1.1\r\nHost: t\r\n\r\n" }
            batch += "GET /nope HTTP/1.1\r\nHost: t\r\n\r\n"
            try client.send(batch)
            return try (0..<301).map { _ in try client.readResponse().status }
        }
        try await stop(server)
        #expect(statuses.filter { $0 == 200 }.count == 300)
        let written = lines.all
        #expect(written.count >= 21 && written.count < 150, "\(written.count)")
        #expect(written.last?["status"] == 404)  // errors are always written
        #expect(written.contains { $0["sample_rate"]?.intValue.map { $0 >= 2 } == true })
    }

    @Test func flag_readsEachForm() {
        #expect(HTTPServer.AccessLog(flag: "on")?.mode == .sampled(linesPerSecond: 200))
        #expect(HTTPServer.AccessLog(flag: "off")?.mode == .off)
        #expect(HTTPServer.AccessLog(flag: "all")?.mode == .all)
        #expect(HTTPServer.AccessLog(flag: "sample=50")?.mode == .sampled(linesPerSecond: 50))
        #expect(HTTPServer.AccessLog(flag: "sample=0") == nil)
        #expect(HTTPServer.AccessLog(flag: "yes") == nil)
    }
}

/// Lines the access log sent to its sink.
final class LineCollector: Sendable {
    private let lines = Mutex<[JSONObject]>([])

    func append(_ line: JSONObject) { lines.withLock { $0.append(line) } }

    var all: [JSONObject] { lines.withLock { $0 } }

    /// The single line written, or nil when there were none or several.
    var only: JSONObject? { lines.withLock { $0.count == 1 ? $0[0] : nil } }
}

/// A minted id: 32 lowercase hex digits.
func isMinted(_ id: String) -> Bool {
    id.utf8.count == 32 && id.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
}

private struct Unprocessable: HTTPResponseError {
    var status: HTTPStatus { .unprocessableContent }
    var code: String { "invalid" }
    var message: String { "no" }
}

private func makeLoggedServer(_ lines: LineCollector,
                              mode: HTTPServer.AccessLog.Mode = .sampled(linesPerSecond: 200)) throws -> HTTPServer {
    try makeServer(configure: { configuration in
        configuration.accessLog = HTTPServer.AccessLog(mode: mode)
        configuration.accessLog.sink = { lines.append($0) }
    }, routes: { routes in
        routes.add(.get, "/v1/tenants/{tenant}/things/{id}", .immediate { request in
            .text("thing \(request.parameters["id"] ?? "")")
        })
        routes.post("/v1/tenants/{tenant}/keyed/{outcome}") { request in
            try await HTTPResponse.attributed(to: "website") {
                guard request.parameters["outcome"] == "ok" else { throw Unprocessable() }
                return .text("ok")
            }
        }
        routes.get("/request-id") { request in .text(request.requestID) }
    })
}
