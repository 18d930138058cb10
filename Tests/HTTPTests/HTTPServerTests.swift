import Glibc
import Model
import Native
import Testing
@testable import HTTP

/// The server over real loopback sockets.
@Suite(.timeLimit(.minutes(2)))
struct HTTPServerTests {
    @Test func keepAlive_servesManyRequestsOnOneConnection() async throws {
        let server = try makeServer(routes: standardRoutes)
        let port = server.port
        let statuses = try await offPool {
            let client = try TestClient(port: port)
            return try (0..<50).map { _ -> Int in
                try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
                let response = try client.readResponse()
                return response.bodyString == "hello" ? response.status : -1
            }
        }
        #expect(statuses == Array(repeating: 200, count: 50))
        try await stop(server)
    }

    @Test func pipelining_answersInRequestOrder_evenWhenLaterRequestsFinishFirst() async throws {
        let server = try makeServer(routes: standardRoutes)
        let port = server.port
        let bodies = try await offPool {
            let client = try TestClient(port: port)
            try client.send("GET /sleep/300 HTTP/1.1\r\nHost: t\r\n\r\nGET /hello HTTP/1.1\r\nHost: t\r\n\r\n"
                            + "GET /sleep/50 HTTP/1.1\r\nHost: t\r\n\r\nPOST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nlast")
            return try (0..<4).map { _ in try client.readResponse().bodyString }
        }
        #expect(bodies == ["slept 300", "hello", "slept 50", "last"])
        try await stop(server)
    }

    @Test func pipelining_deeperThanTheLimit_isServedInOrder() async throws {
        let server = try makeServer(configure: { $0.maxPipelined = 4 }, routes: standardRoutes)
        let port = server.port
        let bodies = try await offPool {
            let client = try TestClient(port: port)
            var batch = ""
            for i in 0..<100 { batch += "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: \(String(i).utf8.count)\r\n\r\n\(i)" }
            try client.send(batch)
            return try (0..<100).map { _ in try client.readResponse().bodyString }
        }
        #expect(bodies == (0..<100).map(String.init))
        try await stop(server)
    }

    @Test func chunkedBody_isDecoded() async throws {
        let server = try makeServer(routes: standardRoutes)
        let port = server.port
        let response = try await offPool {
            let client = try TestClient(port: port)
            try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n")
            usleep(50_000)
            try client.send("5;x=y\r\npedia\r\n0\r\nTrailer: ok\r\n\r\n")
            return try client.readResponse()
        }
        #expect(response.status == 200)
        #expect(response.bodyString == "Wikipedia")
        try await stop(server)
    }

    @Test func body_arrivingInPieces_isAssembled() async throws {
        let server = try makeServer(routes: standardRoutes)
        let port = server.port
        let payload = String(repeating: "0123456789", count: 20_000)  // 200 KB over several reads
        let response = try await offPool {
            let client = try TestClient(port: port)
            try client.send("POST /echo HTTP/1.1\r\nHo")
            usleep(20_000)
            try client.send("st: t\r\nContent-Length: \(payload.utf8.count)\r\n\r\n")
            let bytes = Array(payload.utf8)
            var offset = 0
            while offset < bytes.count {
                let end = min(bytes.count, offset + 7_000)
                try client.send(Array(bytes[offset..<end]))
                offset = end
            }
            return try client.readResponse()
        }
        #expect(response.status == 200)
        #expect(response.bodyString == payload)
        try await stop(server)
    }

    @Test func expectContinue_getsInterimResponseBeforeTheBody() async throws {
        let server = try makeServer(routes: standardRoutes)
        let port = server.port
        let (interim, final) = try await offPool {
            let client = try TestClient(port: port)
            try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
            let interim = try client.readResponse()
            try client.send("hello")
            return (interim.status, try client.readResponse())
        }
        #expect(interim == 100)
        #expect(final.status == 200)
        #expect(final.bodyString == "hello")
        try await stop(server)
    }

    @Test func expectContinue_withBodyTooLarge_gets413WithoutInterim() async throws {
        let server = try makeServer(configure: { $0.limits.maxBodyBytes = 1000 }, routes: standardRoutes)
        let port = server.port
        let (status, closed) = try await offPool {
            let client = try TestClient(port: port)
            try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n")
            return (try client.readResponse().status, client.isClosedByServer())
        }
        #expect(status == 413)
        #expect(closed)
        try await stop(server)
    }

    @Test func head_hasContentLengthButNoBody() async throws {
        let server = try makeServer(routes: standardRoutes)
        let port = server.port
        let (head, next) = try await offPool {
            let client = try TestClient(port: port)
            try client.send("HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\nGET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            return (try client.readResponse(forHead: true), try client.readResponse())
        }
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "5")
        #expect(head.body.isEmpty)
        #expect(next.bodyString == "hello")  // nothing of the HEAD body leaked into the stream
        try await stop(server)
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("GET /hello HTTP/1.1\r\nHost : t\r\n\r\n", 400),
        ("GET /hello HTTP/1.1\r\nHost: t\r\nX: a\r\n b\r\n\r\n", 400),
        ("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n", 400),
        // A size line a lenient proxy reads as 5: 400, and the request after it is not answered.
        ("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5 5\r\nhello\r\n0\r\n\r\n", 400),
        ("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5;\r\nhello\r\n0\r\n\r\n", 400),
        ("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc", 400),
        ("GET /" + String(repeating: "u", count: 9000) + " HTTP/1.1\r\nHost: t\r\n\r\n", 414),
        ("GET /hello HTTP/1.1\r\nHost: t\r\nCookie: " + String(repeating: "c", count: 17_000) + "\r\n\r\n", 431),
        ("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2000000\r\n\r\n", 413),
    ])
    func malformedOrOversized_isRejectedWithJSONError_andClosed(request: String, status: Int) async throws {
        let server = try makeServer(routes: standardRoutes)
        let port = server.port
        let (response, closed) = try await offPool {
            let client = try TestClient(port: port)
            try client.send(request + "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            return (try client.readResponse(), client.isClosedByServer())
        }
        #expect(response.status == status)
        #expect(response.header("Connection") == "close")
        #expect(response.header("Content-Type") == "application/json")
        let json = try JSONParser.parse(response.body)
        #expect(json.value(at: "error.code")?.stringValue?.isEmpty == false)
        #expect(json.value(at: "error.message")?.stringValue?.isEmpty == false)
        #expect(closed)
        try await stop(server)
    }

    @Test func chunkedBodyOverLimit_is413() async throws {
        let server = try makeServer(configure: { $0.limits.maxBodyBytes = 100 }, routes: standardRoutes)
        let port = server.port
        let status = try await offPool {
            let client = try TestClient(port: port)
            try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n80\r\n")
            return try client.readResponse().status
        }
        #expect(status == 413)
        try await stop(server)
    }

    @Test func unknownRoute_is404_andWrongMethod_is405WithAllow() async throws {
        let server = try makeServer(routes: standardRoutes)
        let port = server.port
        let (missing, wrong) = try await offPool {
            let client = try TestClient(port: port)
            try client.send("GET /missing HTTP/1.1\r\nHost: t\r\n\r\nDELETE /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            return (try client.readResponse(), try client.readResponse())
        }
        #expect(missing.status == 404)
        #expect(wrong.status == 405)
        #expect(wrong.header("Allow") == "GET, HEAD")
        try await stop(server)
    }

    @Test func handlerErrors_becomeTheirStatus_orA500WithoutDetails() async throws {
        struct Secret: Error { let token = "sk_live_do_not_print" }
        let server = try makeServer { routes in
            routes.get("/teapot") { _ async throws in throw HTTPError(.unprocessableContent, code: "bad_field", message: "text: required") }
            routes.get("/boom") { _ async throws in throw Secret() }
        }
        let port = server.port
        let (teapot, boom) = try await offPool {
            let client = try TestClient(port: port)
            try client.send("GET /teapot HTTP/1.1\r\nHost: t\r\n\r\nGET /boom HTTP/1.1\r\nHost: t\r\n\r\n")
            return (try client.readResponse(), try client.readResponse())
        }
        #expect(teapot.status == 422)
        #expect(teapot.bodyString == #"{"error":{"code":"bad_field","message":"text: required"}}"#)
        #expect(boom.status == 500)
        #expect(!boom.bodyString.contains("sk_live"))
        #expect(!Logger.describe(Secret()).contains("sk_live"))
        try await stop(server)
    }

    @Test func halfClosedClient_stillGetsAnswersToWhatItSent() async throws {
        let server = try makeServer(routes: standardRoutes)
        let port = server.port
        let bodies = try await offPool {
            let client = try TestClient(port: port)
            try client.send("GET /sleep/100 HTTP/1.1\r\nHost: t\r\n\r\nGET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            client.socket.shutdownWrite()
            let bodies = try (0..<2).map { _ in try client.readResponse().bodyString }
            return client.isClosedByServer() ? bodies : []
        }
        #expect(bodies == ["slept 100", "hello"])
        try await stop(server)
    }

    @Test func http10_closesAfterTheResponse() async throws {
        let server = try makeServer(routes: standardRoutes)
        let port = server.port
        let (response, closed) = try await offPool {
            let client = try TestClient(port: port)
            try client.send("GET /hello HTTP/1.0\r\n\r\n")
            return (try client.readResponse(), client.isClosedByServer())
        }
        #expect(response.status == 200)
        #expect(closed)
        try await stop(server)
    }

    @Test func slowloris_isCutOff_whileOthersAreServed() async throws {
        let server = try makeServer(configure: { $0.headerTimeoutSeconds = 1 }, routes: standardRoutes)
        let port = server.port
        async let trickler: (Int, Double) = offPool {
            let client = try TestClient(port: port)
            let start = Clock.monotonicNanos()
            // One byte every 100 ms: always "active", never complete.
            for byte in "GET /hello HTTP/1.1\r\nHost: t\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".utf8 {
                do { try client.send([byte]) } catch { break }
                if client.hasDataAvailable(waitMillis: 100) { break }  // the server answered
                if Double(Clock.monotonicNanos() - start) / 1e9 > 3 { break }
            }
            let status = (try? client.readResponse().status) ?? -1
            return (status, Double(Clock.monotonicNanos() - start) / 1e9)
        }
        // Meanwhile, normal clients are served promptly.
        let served = try await offPool {
            try (0..<20).map { _ -> Int in
                let client = try TestClient(port: port)
                try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
                usleep(50_000)
                return try client.readResponse().status
            }
        }
        let (status, elapsed) = try await trickler
        #expect(served.allSatisfy { $0 == 200 })
        #expect(status == 408)
        #expect(elapsed < 2.5, "cut after \(elapsed) s with a 1 s header timeout")
        try await stop(server)
    }

    @Test func defaultHeaderTimeout_isTenSeconds() {
        #expect(HTTPServer.Configuration().headerTimeoutSeconds == 10)
        #expect(HTTPServer.Configuration().idleTimeoutSeconds == 60)
    }

    @Test func idleKeepAlive_isClosedAfterTheIdleTimeout() async throws {
        let server = try makeServer(configure: { $0.idleTimeoutSeconds = 0.5 }, routes: standardRoutes)
        let port = server.port
        let (status, closed, elapsed) = try await offPool {
            let client = try TestClient(port: port)
            try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            let status = try client.readResponse().status
            let start = Clock.monotonicNanos()
            let closed = client.isClosedByServer()
            return (status, closed, Double(Clock.monotonicNanos() - start) / 1e9)
        }
        #expect(status == 200)
        #expect(closed)
        #expect(elapsed > 0.3 && elapsed < 2)
        try await stop(server)
    }

    @Test func thousandConcurrentConnections_areAllServed() async throws {
        Signals.raiseFileLimit()
        let server = try makeServer(loops: 2, routes: standardRoutes)
        let port = server.port
        let ok = try await offPool {
            let clients = try (0..<1000).map { _ in try TestClient(port: port) }
            for client in clients { try client.send("GET /sleep/10 HTTP/1.1\r\nHost: t\r\n\r\n") }
            return try clients.filter { try $0.readResponse().bodyString == "slept 10" }.count
        }
        #expect(ok == 1000)
        try await stop(server)
    }

    @Test func overload_answers503WithRetryAfter() async throws {
        let server = try makeServer(configure: { $0.maxInFlight = 2 }, routes: standardRoutes)
        let port = server.port
        let responses = try await offPool {
            let slow = try (0..<2).map { _ in try TestClient(port: port) }
            for client in slow { try client.send("GET /sleep/500 HTTP/1.1\r\nHost: t\r\n\r\n") }
            usleep(100_000)
            let extra = try TestClient(port: port)
            try extra.send("GET /sleep/1 HTTP/1.1\r\nHost: t\r\n\r\nGET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            let rejected = try extra.readResponse()
            let immediate = try extra.readResponse()  // immediate handlers are not counted as in flight
            return [rejected, immediate] + (try slow.map { try $0.readResponse() })
        }
        #expect(responses[0].status == 503)
        #expect(responses[0].header("Retry-After") == "1")
        #expect(responses[1].status == 200)
        #expect(responses[2].status == 200 && responses[3].status == 200)
        try await stop(server)
    }

    @Test func slowReader_getsEveryByte_andDoesNotStallOthers() async throws {
        let server = try makeServer(routes: standardRoutes)
        let port = server.port
        let (sizes, otherStatus) = try await offPool { () -> ([Int], Int) in
            let slow = try TestClient(port: port)
            // 16 pipelined 1 MiB responses while the client reads nothing.
            var batch = ""
            for _ in 0..<16 { batch += "GET /big/1024 HTTP/1.1\r\nHost: t\r\n\r\n" }
            try slow.send(batch)
            usleep(300_000)
            let other = try TestClient(port: port)
            try other.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            let otherStatus = try other.readResponse().status
            let sizes = try (0..<16).map { _ in try slow.readResponse().body.count }
            return (sizes, otherStatus)
        }
        #expect(otherStatus == 200)
        #expect(sizes == Array(repeating: 1024 * 1024, count: 16))
        try await stop(server)
    }

    @Test func backPressure_resumesReadingOnceTheClientDrains() async throws {
        // Immediate handlers fill the outbound buffer past the high-water mark within one read;
        // the loop must stop parsing, then pick the buffered requests up again as bytes drain.
        let server = try makeServer(configure: { $0.writeHighWater = 64 * 1024 }, routes: standardRoutes)
        let port = server.port
        let sizes = try await offPool { () -> [Int] in
            let client = try TestClient(port: port)
            var batch = ""
            for _ in 0..<24 { batch += "GET /bigsync/512 HTTP/1.1\r\nHost: t\r\n\r\n" }
            try client.send(batch)
            usleep(200_000)
            return try (0..<24).map { _ in try client.readResponse().body.count }
        }
        #expect(sizes == Array(repeating: 512 * 1024, count: 24))
        try await stop(server)
    }

    @Test func gracefulShutdown_finishesInFlightRequests_thenStops() async throws {
        let server = try makeServer(loops: 2, routes: standardRoutes)
        let port = server.port
        let clients = try await offPool { try (0..<10).map { _ in try TestClient(port: port) } }
        let idle = try await offPool { try TestClient(port: port) }
        try await offPool { for client in clients { try client.send("GET /sleep/700 HTTP/1.1\r\nHost: t\r\n\r\n") } }
        try await Task.sleep(nanoseconds: 150_000_000)
        let start = Clock.monotonicNanos()
        server.shutdown()
        let responses = try await offPool { try clients.map { try $0.readResponse() } }
        #expect(responses.allSatisfy { $0.status == 200 && $0.bodyString == "slept 700" })
        #expect(responses.allSatisfy { $0.header("Connection") == "close" })
        #expect(try await offPool { idle.isClosedByServer() })
        try await offPool { server.waitUntilStopped() }
        let elapsed = Double(Clock.monotonicNanos() - start) / 1e9
        // The 700 ms requests and no wait for the idle connection; loose, for a loaded machine
        // (3.09 s was seen with a second test run beside this one).
        #expect(elapsed < 6)
        // The listener is gone.
        #expect(throws: SystemError.self) { _ = try TestClient(port: port) }
    }

    @Test func gracefulShutdown_givesUpOnStuckRequests_afterTheGracePeriod() async throws {
        let server = try makeServer(configure: { $0.shutdownGraceSeconds = 0.5 }, routes: standardRoutes)
        let port = server.port
        let client = try await offPool { try TestClient(port: port) }
        try await offPool { try client.send("GET /sleep/5000 HTTP/1.1\r\nHost: t\r\n\r\n") }
        try await Task.sleep(nanoseconds: 100_000_000)
        let start = Clock.monotonicNanos()
        server.shutdown()
        try await offPool { server.waitUntilStopped() }
        #expect(Double(Clock.monotonicNanos() - start) / 1e9 < 2)
    }

    @Test func metrics_countRequestsByRouteAndStatus() async throws {
        let registry = MetricsRegistry()
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.loops = 2
        let routes = RouterBuilder()
        standardRoutes(routes)
        let server = HTTPServer(configuration: configuration, router: routes.build(), metrics: registry)
        try server.start()
        let port = server.port
        try await offPool {
            let client = try TestClient(port: port)
            for _ in 0..<3 {
                try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
                _ = try client.readResponse()
            }
            try client.send("GET /nope HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = try client.readResponse()
        }
        let text = registry.render()
        #expect(text.contains(#"switchboard_http_requests_total{route="/hello",status="200"} 3"#))
        #expect(text.contains(#"switchboard_http_requests_total{route="unmatched",status="404"} 1"#))
        #expect(text.contains(#"switchboard_http_request_duration_seconds_count{route="/hello"} 3"#))
        #expect(text.contains("switchboard_http_open_connections "))
        try await stop(server)
    }
}
