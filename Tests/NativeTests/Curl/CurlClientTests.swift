import Glibc
import HTTP
import Model
import Native
import Testing

/// The libcurl client over real loopback sockets, in both event modes.
@Suite(.timeLimit(.minutes(2)))
struct CurlClientTests {
    static let modes: [CurlClient.EventMode] = [.socketAction, .poll]

    static func makeClient(_ mode: CurlClient.EventMode, name: String = "curl-test") throws -> CurlClient {
        var configuration = CurlClient.Configuration()
        configuration.eventMode = mode
        configuration.name = name
        return try CurlClient(configuration: configuration)
    }

    @Test(arguments: modes) func get_returnsStatusHeadersAndBody(mode: CurlClient.EventMode) async throws {
        let server = try makeCurlTestServer()
        let client = try Self.makeClient(mode)
        let response = try await client.perform(CurlRequest(url: "http://127.0.0.1:\(server.port)/hello"))
        #expect(response.status == 200)
        #expect(response.bodyText == "hello")
        #expect(response.header("content-type") == "text/plain; charset=utf-8")
        #expect(response.headers.contains { $0.name == "Content-Length" && $0.value == "5" })
        client.shutdown()
        try await stop(server)
    }

    @Test(arguments: ["POST", "PUT", "PATCH", "DELETE"]) func bodyMethods_sendMethodHeadersAndBody(method: String) async throws {
        let server = try makeCurlTestServer()
        let client = try Self.makeClient(.socketAction)
        let request = CurlRequest(method: method, url: "http://127.0.0.1:\(server.port)/inspect?a=1",
                                  headers: [("Content-Type", "application/json"), ("X-Trace", "t-1")], body: Array("{\"k\":1}".utf8))
        let echoed = try JSONParser.parse(try await client.perform(request).body)
        #expect(echoed["method"]?.stringValue == method)
        #expect(echoed["target"]?.stringValue == "/inspect?a=1")
        #expect(echoed.value(at: "headers.x-trace")?.stringValue == "t-1")
        #expect(echoed.value(at: "headers.content-type")?.stringValue == "application/json")
        #expect(echoed.value(at: "headers.expect") == nil)
        #expect(echoed["body"]?.stringValue == "{\"k\":1}")
        client.shutdown()
        try await stop(server)
    }

    @Test func reusedHandle_carriesNothingOverFromThePreviousRequest() async throws {
        let server = try makeCurlTestServer()
        let client = try Self.makeClient(.socketAction)
        let url = "http://127.0.0.1:\(server.port)/inspect"
        let steps: [(String, [(name: String, value: String)], String)] = [
            ("POST", [("X-A", "1")], "first"), ("GET", [], ""), ("PATCH", [("X-B", "2")], "third"), ("PATCH", [("X-B", "2")], "again"),
            ("DELETE", [], ""), ("POST", [("X-A", "1")], ""), ("GET", [("X-C", "3")], ""),
        ]
        for (method, headers, body) in steps {
            let echoed = try JSONParser.parse(try await client.perform(CurlRequest(method: method, url: url, headers: headers,
                                                                                   body: Array(body.utf8))).body)
            #expect(echoed["method"]?.stringValue == method)
            #expect(echoed["body"]?.stringValue == body)
            #expect(echoed.value(at: "headers.x-a")?.stringValue == headers.first { $0.name == "X-A" }?.value)
            #expect(echoed.value(at: "headers.x-b")?.stringValue == headers.first { $0.name == "X-B" }?.value)
            #expect(echoed.value(at: "headers.x-c")?.stringValue == headers.first { $0.name == "X-C" }?.value)
        }
        client.shutdown()
        try await stop(server)
    }

    @Test(arguments: modes) func connectionClosedWhileIdle_isDroppedAndTheNextCallReconnects(mode: CurlClient.EventMode) async throws {
        let server = try makeCurlTestServer(idleTimeoutSeconds: 0.2)
        let client = try Self.makeClient(mode)
        let url = "http://127.0.0.1:\(server.port)/hello"
        #expect(try await client.perform(CurlRequest(url: url)).newConnections == 1)
        // The server closes the idle keep-alive connection; the driver must neither spin on the
        // closed socket nor hand the next transfer a dead connection.
        try await Task.sleep(nanoseconds: 700_000_000)
        let again = try await client.perform(CurlRequest(url: url))
        #expect(again.bodyText == "hello")
        #expect(again.newConnections == 1)
        #expect(try await client.perform(CurlRequest(url: url)).newConnections == 0)
        client.shutdown()
        try await stop(server)
    }

    @Test(arguments: modes) func sequentialCalls_reuseOneConnection(mode: CurlClient.EventMode) async throws {
        let server = try makeCurlTestServer()
        let client = try Self.makeClient(mode)
        var connections = 0
        for _ in 0..<20 {
            connections += try await client.perform(CurlRequest(url: "http://127.0.0.1:\(server.port)/hello")).newConnections
        }
        #expect(connections == 1)
        client.shutdown()
        try await stop(server)
    }

    @Test(arguments: modes) func thousandConcurrentCalls_completeOnOneDriverThread(mode: CurlClient.EventMode) async throws {
        let server = try makeCurlTestServer()
        let name = "curl-k-\(mode == .poll ? "p" : "s")"
        let client = try Self.makeClient(mode, name: name)
        let url = "http://127.0.0.1:\(server.port)/sleep/1000"
        let watcher = Task {
            var most = 0
            while !Task.isCancelled {
                most = max(most, client.transfersInFlight)
                try? await Task.sleep(nanoseconds: 20_000_000)
            }
            return most
        }
        let bodies = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<1000 {
                group.addTask { try await client.perform(CurlRequest(url: url)).bodyText }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        watcher.cancel()
        #expect(bodies.count == 1000)
        #expect(bodies.allSatisfy { $0 == "slept 1000" })
        // Hundreds were in flight at once, all on the one driver thread this client started.
        #expect(await watcher.value > 500)
        #expect(Self.threads(named: name) == 1)
        #expect(client.transfersInFlight == 0)
        client.shutdown()
        try await stop(server)
    }

    /// Threads of this process whose name is `name`.
    static func threads(named name: String) -> Int {
        guard let dir = opendir("/proc/self/task") else { return 0 }
        defer { closedir(dir) }
        var count = 0
        while let entry = readdir(dir) {
            let id = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard !id.hasPrefix("."), let file = fopen("/proc/self/task/\(id)/comm", "r") else { continue }
            var buffer = [CChar](repeating: 0, count: 32)
            if fgets(&buffer, 32, file) != nil,
               String(decoding: buffer.prefix { $0 != 0 && $0 != 10 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) == name {
                count += 1
            }
            fclose(file)
        }
        return count
    }

    @Test(arguments: modes) func tasksPreferringTheDriver_callAndResumeOnItsThread(mode: CurlClient.EventMode) async throws {
        let server = try makeCurlTestServer()
        let name = "curl-x-\(mode == .poll ? "p" : "s")"
        let client = try Self.makeClient(mode, name: name)
        let url = "http://127.0.0.1:\(server.port)/hello"
        let threads = try await withTaskExecutorPreference(client.taskExecutor) {
            try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        var seen: [String] = []
                        for _ in 0..<5 {
                            let body = try await client.perform(CurlRequest(url: url)).bodyText
                            seen.append(body == "hello" ? Self.currentThreadName() : "wrong body")
                        }
                        return seen
                    }
                }
                return try await group.reduce(into: [String]()) { $0 += $1 }
            }
        }
        #expect(threads.count == 100)
        #expect(Set(threads) == [name])
        client.shutdown()
        // After shutdown such tasks still run (on the global pool once the driver has gone).
        for _ in 0..<3 {
            try await Task.sleep(nanoseconds: 20_000_000)
            let ran = await withTaskExecutorPreference(client.taskExecutor) { Self.currentThreadName() }
            #expect(!ran.isEmpty)
        }
        try await stop(server)
    }

    static func currentThreadName() -> String {
        guard let file = fopen("/proc/thread-self/comm", "r") else { return "" }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 32)
        guard fgets(&buffer, 32, file) != nil else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 && $0 != 10 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    @Test(arguments: modes) func cancellation_removesTheTransferAndThrowsCancellationError(mode: CurlClient.EventMode) async throws {
        let server = try makeCurlTestServer()
        let client = try Self.makeClient(mode)
        // The answer would come 4 s after the request arrives; the cancelled call must end before
        // it could exist. (Not a tighter bound: on a loaded machine the task and its 50 ms sleep
        // can wait over 2 s for a thread.)
        let url = "http://127.0.0.1:\(server.port)/sleep/4000"
        let started = Clock.monotonicNanos()
        let task = Task { try await client.perform(CurlRequest(url: url)) }
        try await Task.sleep(nanoseconds: 50_000_000)
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(Clock.monotonicNanos() - started < 3_900_000_000)
        #expect(client.transfersInFlight == 0)
        client.shutdown()
        try await stop(server)
    }

    @Test func cancelledTask_neverStartsATransfer() async throws {
        let client = try Self.makeClient(.socketAction)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await client.perform(CurlRequest(url: "http://127.0.0.1:1/"))
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(client.transfersCompleted == 0)
        client.shutdown()
    }

    @Test(arguments: modes) func totalTimeout_isClassifiedAsTimeoutAfterSending(mode: CurlClient.EventMode) async throws {
        let server = try makeCurlTestServer()
        let client = try Self.makeClient(mode)
        var request = CurlRequest(url: "http://127.0.0.1:\(server.port)/sleep/1000")
        request.timeoutMillis = 150
        let error = await #expect(throws: CurlError.self) { try await client.perform(request) }
        #expect(error?.kind == .timeout)
        #expect(error?.requestWasSent == true)
        client.shutdown()
        try await stop(server)
    }

    @Test func refusedConnection_isClassifiedAsConnectAndNotSent() async throws {
        let client = try Self.makeClient(.socketAction)
        let error = await #expect(throws: CurlError.self) {
            try await client.perform(CurlRequest(method: "POST", url: "http://127.0.0.1:1/secret/path", body: [1, 2, 3]))
        }
        #expect(error?.kind == .connect)
        #expect(error?.requestWasSent == false)
        #expect(error?.endpoint == "http://127.0.0.1:1")
        #expect(error.map { "\($0)" }?.contains("secret") == false)
        client.shutdown()
    }

    @Test func otherSchemes_areRefused() async throws {
        let client = try Self.makeClient(.socketAction)
        let error = await #expect(throws: CurlError.self) { try await client.perform(CurlRequest(url: "file:///etc/passwd")) }
        #expect(error?.kind == .invalidRequest)
        client.shutdown()
    }

    @Test func tlsToAPlainServer_failsVerificationStageAndIsNotSent() async throws {
        let server = try makeCurlTestServer()
        let client = try Self.makeClient(.socketAction)
        var request = CurlRequest(method: "POST", url: "https://127.0.0.1:\(server.port)/inspect", body: [1])
        request.caFile = "/nonexistent/ca.pem"
        let error = await #expect(throws: CurlError.self) { try await client.perform(request) }
        #expect(error?.kind == .tls)
        #expect(error?.requestWasSent == false)
        client.shutdown()
        try await stop(server)
    }

    @Test func oversizedResponse_failsInsteadOfFillingMemory() async throws {
        let server = try makeCurlTestServer()
        let client = try Self.makeClient(.socketAction)
        var request = CurlRequest(url: "http://127.0.0.1:\(server.port)/big/256")
        request.maxResponseBytes = 64 * 1024
        await #expect(throws: CurlError.self) { try await client.perform(request) }
        request.maxResponseBytes = 1 << 20
        #expect(try await client.perform(request).body.count == 256 * 1024)
        client.shutdown()
        try await stop(server)
    }

    @Test func shutdown_failsLaterCallsAsClientStopped() async throws {
        let client = try Self.makeClient(.socketAction)
        client.shutdown()
        let error = await #expect(throws: CurlError.self) { try await client.perform(CurlRequest(url: "http://127.0.0.1:1/")) }
        #expect(error?.kind == .clientStopped)
    }
}
