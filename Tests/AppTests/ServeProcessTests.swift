import Glibc
import Model
import Native
import Testing

/// The real binary: start-up, the operational endpoints, and shutdown on signals.
@Suite(.timeLimit(.minutes(2)))
struct ServeProcessTests {
    @Test func sigterm_finishesTheRequestInFlight_andExitsZero() async throws {
        let child = try ChildProcess(arguments: ["serve", "--db", ":memory:", "--port", "0", "--echo-route", "--threads", "2"])
        let port = try child.waitForPort()
        let result = try await offPool { () -> (status: Int, exit: Int32?, seconds: Double) in
            let socket = try Socket.connect(host: "127.0.0.1", port: port)
            defer { socket.close() }
            socket.setReceiveTimeout(milliseconds: 15_000)
            let body = "{\"note\":\"" + String(repeating: "z", count: 4000) + "\"}"
            try socket.sendAll(Array("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n".utf8))
            let bytes = Array(body.utf8)
            // Half the body, then SIGTERM, then the rest slowly: the request is in flight throughout.
            try socket.sendAll(Array(bytes[0..<2000]))
            usleep(200_000)
            let start = Clock.monotonicNanos()
            child.signal(SIGTERM)
            usleep(300_000)
            for chunk in stride(from: 2000, to: bytes.count, by: 500) {
                try socket.sendAll(Array(bytes[chunk..<min(bytes.count, chunk + 500)]))
                usleep(100_000)
            }
            var response: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(socket.fd, &buffer, buffer.count)
                if n <= 0 { break }
                response.append(contentsOf: buffer[0..<n])
            }
            let text = String(decoding: response, as: UTF8.self)
            let status = Int(text.split(separator: " ").dropFirst().first ?? "") ?? -1
            let exit = child.waitForExit(timeoutSeconds: 10)
            return (text.hasSuffix(body) ? status : -2, exit, Double(Clock.monotonicNanos() - start) / 1e9)
        }
        #expect(result.status == 200)
        #expect(result.exit == 0)
        #expect(result.seconds < 10)
        #expect(child.log.contains("\"msg\":\"stopped\""))
    }

    @Test func sigint_withNothingInFlight_exitsZeroAtOnce() async throws {
        let child = try ChildProcess(arguments: ["serve", "--db", ":memory:", "--port", "0"])
        _ = try child.waitForPort()
        child.signal(SIGINT)
        let exit = try await offPool { child.waitForExit(timeoutSeconds: 5) }
        #expect(exit == 0)
    }

    @Test func operationalEndpoints_answer() async throws {
        let child = try ChildProcess(arguments: ["serve", "--db", ":memory:", "--port", "0"])
        let port = try child.waitForPort()
        let (health, ready, metrics) = try await offPool { () -> (String, String, String) in
            (try get(port, "/healthz"), try get(port, "/readyz"), try get(port, "/metrics"))
        }
        #expect(health.hasPrefix("HTTP/1.1 200") && health.hasSuffix("\r\n\r\nok"))
        #expect(ready.hasPrefix("HTTP/1.1 200") && ready.contains(#"{"status":"ready"}"#))
        #expect(metrics.contains("text/plain; version=0.0.4"))
        #expect(metrics.contains("process_resident_memory_bytes "))
        #expect(metrics.contains("switchboard_http_requests_total{route=\"/healthz\",status=\"200\"} 1"))
        child.signal(SIGTERM)
        #expect(try await offPool { child.waitForExit(timeoutSeconds: 5) } == 0)
    }

    @Test func badFlag_printsUsage_andExitsTwo() async throws {
        let child = try ChildProcess(arguments: ["serve", "--nope"])
        #expect(try await offPool { child.waitForExit(timeoutSeconds: 10) } == 2)
        #expect(child.log.contains("unknown option '--nope'"))
        #expect(child.log.contains("Usage:"))
    }

    @Test func portInUse_failsWithAClearMessage() async throws {
        let listener = try Socket.makeListener(host: "127.0.0.1", port: 0, reusePort: false)
        defer { listener.close() }
        let port = try listener.localPort()
        let child = try ChildProcess(arguments: ["serve", "--db", ":memory:", "--port", String(port)])
        #expect(try await offPool { child.waitForExit(timeoutSeconds: 10) } == 1)
        #expect(child.log.contains("127.0.0.1:\(port)"))
        #expect(child.log.contains("Address already in use"))
    }
}

/// One GET over a fresh connection, returning the raw response text.
func get(_ port: Int, _ path: String) throws -> String {
    let socket = try Socket.connect(host: "127.0.0.1", port: port)
    defer { socket.close() }
    socket.setReceiveTimeout(milliseconds: 10_000)
    try socket.sendAll(Array("GET \(path) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".utf8))
    var response: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = read(socket.fd, &buffer, buffer.count)
        if n <= 0 { break }
        response.append(contentsOf: buffer[0..<n])
    }
    return String(decoding: response, as: UTF8.self)
}
