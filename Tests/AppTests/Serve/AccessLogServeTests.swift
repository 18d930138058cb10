import Glibc
import Integration
import Model
import Native
import Testing

/// The real binary's access log: `serve` writes one line per request on stderr, with the route
/// template and the request id, and none of the query, path or credentials.
@Suite(.timeLimit(.minutes(2)))
struct AccessLogServeTests {
    @Test func serve_logsEachRequest_withItsTemplateAndRequestID() async throws {
        let process = try SpawnedProcess(["serve", "--db", ":memory:", "--port", "0", "--threads", "1", "--no-watch",
                                          "--tenants", SpawnedProcess.packageRoot + "/tenants", "--access-log", "all"])
        let port = try await offPool { () -> Int in
            for _ in 0..<1000 {
                let lines = process.stderr.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
                if let port = lines.first(where: { $0["msg"] == "listening" })?["port"]?.intValue { return Int(port) }
                usleep(10_000)
            }
            throw SpawnedProcess.Failure(description: "the server did not start: \(process.stderr)")
        }
        let base = "http://127.0.0.1:\(port)"
        let client = try HTTPClient()
        defer { client.shutdown() }
        let health = try await client.send(HTTPClient.Request(
            method: "GET", url: base + "/healthz?token=CANARYquery", headers: [("X-Request-Id", "probe-42")], timeoutSeconds: 10))
        let refused = try await client.send(HTTPClient.Request(
            method: "GET", url: base + "/v1/tenants/acme-plumbing/interactions/int_CANARYpath",
            headers: [("Authorization", "Bearer CANARYwrongkey")], timeoutSeconds: 10))
        // A valid key of another role: refused after authenticating, so the line names the key.
        let forbidden = try await client.send(HTTPClient.Request(
            method: "GET", url: base + "/v1/tenants/acme-plumbing/interactions?limit=5",
            headers: [("Authorization", "Bearer acme-website-key-2026")], timeoutSeconds: 10))
        let listed = try await client.send(HTTPClient.Request(
            method: "GET", url: base + "/v1/tenants/acme-plumbing/interactions?limit=5",
            headers: [("Authorization", "Bearer acme-dispatch-key-2026")], timeoutSeconds: 10))
        kill(process.pid, SIGTERM)
        #expect(process.waitForExit() == 0)

        #expect(health.status == 200)
        #expect(health.header("X-Request-Id") == "probe-42")
        #expect(refused.status == 401)
        let logs = process.stderr
        let access = logs.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
            .filter { $0["logger"] == "access" }
        #expect(forbidden.status == 403 && listed.status == 200)
        #expect(access.count == 4, "\(logs)")
        #expect(access.first?["route"] == "/healthz")
        #expect(access.first?["request_id"] == "probe-42")
        #expect(access.first?["level"] == "info")
        #expect(access[1]["route"] == "/v1/tenants/{tenant}/interactions/{id}")
        #expect(access[1]["tenant"] == "acme-plumbing")
        #expect(access[1]["status"] == 401 && access[1]["key"] == nil)
        #expect(access.last?["route"] == "/v1/tenants/{tenant}/interactions" && access.last?["key"] == "dispatch", "\(access)")
        #expect(!logs.contains("acme-dispatch-key-2026") && !logs.contains("acme-website-key-2026"))
        #expect(!logs.contains("CANARY"))
    }
}
