import Glibc
import Integration
import Model
import Native
import Routing
import Sandbox
import Storage
@testable import App

/// Switchboard with the example tenants, a fresh SQLite journal and the sandbox providers, all in
/// this process over real loopback HTTP, for the tenants' end-to-end stories.
final class Harness: @unchecked Sendable {
    // @unchecked Sendable: everything is set in init and only read afterwards.
    let sandbox: SandboxServer
    let ownsSandbox: Bool
    let app: Application
    let client: HTTPClient
    let databasePath: String
    let base: String

    static let acmeKey = "acme-website-key-2026"
    static let acmeOperatorKey = "acme-dispatch-key-2026"
    static let riversideKey = "riverside-website-key-2026"
    static let riversideOperatorKey = "riverside-front-desk-2026"

    /// - Parameters:
    ///   - classifier: also use the sandbox's OpenAI-compatible classifier for `intent.classify`.
    convenience init(classifier: Bool = false, configure: (inout ServeOptions) -> Void = { _ in }) throws {
        var sandboxConfiguration = SandboxServer.Configuration()
        sandboxConfiguration.port = 0
        sandboxConfiguration.smtpPort = 0
        let sandbox = try SandboxServer(configuration: sandboxConfiguration)
        try sandbox.start()
        try self.init(sandbox: sandbox, ownsSandbox: true, classifier: classifier, configure: configure)
    }

    /// - Parameters:
    ///   - sandbox: the simulated providers, started.
    ///   - ownsSandbox: this harness's server registers its webhooks with the sandbox and stops
    ///     it at the end; other nodes of a cluster only call its providers.
    init(sandbox: SandboxServer, ownsSandbox: Bool, classifier: Bool = false, configure: (inout ServeOptions) -> Void = { _ in }) throws {
        self.sandbox = sandbox
        self.ownsSandbox = ownsSandbox
        let port = try Socket.unusedLoopbackPort()
        databasePath = "/tmp/switchboard-scenario-\(getpid())-\(Clock.monotonicNanos()).sqlite"
        var options = ServeOptions(host: "127.0.0.1", port: port, tenantsDirectory: Harness.repositoryPath("tenants"),
                                   databasePath: databasePath, threads: 1)
        if classifier { options.classifierURL = sandbox.baseURL + "/openai/v1" }
        configure(&options)
        base = "http://127.0.0.1:\(port)"
        var environment = ["SWITCHBOARD_PUBLIC_URL": base, "SWITCHBOARD_CLASSIFIER_KEY": "sk-sandbox"]
        if !ownsSandbox { environment.merge(sandbox.environment) { mine, _ in mine } }
        app = try Application(options: options, environment: environment, sandbox: ownsSandbox ? sandbox : nil)
        try app.start()
        client = try HTTPClient()
    }

    deinit {
        app.shutdown()
        if ownsSandbox { sandbox.shutdown() }
        client.shutdown()
        for suffix in ["", "-wal", "-shm"] { unlink(databasePath + suffix) }
    }

    /// Stops the server as SIGTERM would: it stops accepting, the engine stops, and on a shared
    /// store this node gives its leases up.
    func stop() async {
        app.shutdown()
        await app.engine.shutdown(timeoutSeconds: 1)
    }

    /// Calls Switchboard (`path` starts with /v1/...).
    func call(_ method: String, _ path: String, key: String? = nil, json: JSON? = nil,
              headers: [(String, String)] = []) async throws -> HTTPClient.Response {
        var request = HTTPClient.Request(method: method, url: base + path, timeoutSeconds: 30)
        if let key { request.headers.append(("Authorization", "Bearer \(key)")) }
        if let json {
            request.headers.append(("Content-Type", "application/json"))
            request.body = json.serializedBytes()
        }
        for header in headers { request.headers.append(header) }
        return try await client.send(request)
    }

    /// Calls the sandbox's control endpoints (`/sandbox/...`).
    func sandboxCall(_ method: String, _ path: String, json: JSON? = nil) async throws -> HTTPClient.Response {
        var request = HTTPClient.Request(method: method, url: sandbox.baseURL + path, timeoutSeconds: 30)
        if let json {
            request.headers.append(("Content-Type", "application/json"))
            request.body = json.serializedBytes()
        }
        return try await client.send(request)
    }

    /// The trace of an interaction.
    func trace(_ tenant: String, _ id: String, key: String) async throws -> JSON {
        let response = try await call("GET", "/v1/tenants/\(tenant)/interactions/\(id)", key: key)
        return response.json ?? .null
    }

    /// Polls until the interaction reaches one of `statuses` (or the time runs out).
    func waitFor(_ tenant: String, _ id: String, key: String, statuses: Set<String>, seconds: Double = 20) async throws -> JSON {
        let deadline = Clock.monotonicNanos() + UInt64(seconds * 1e9)
        var last = JSON.null
        while Clock.monotonicNanos() < deadline {
            last = try await trace(tenant, id, key: key)
            if let status = last["status"]?.stringValue, statuses.contains(status) { return last }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        return last
    }

    /// Messages the sandbox "sent" (SMS, emails, Slack posts), oldest first; with `party`, only
    /// those sent to it.
    func outbox(to party: String? = nil) -> [JSON] {
        sandbox.outbox(to: party).filter { $0["direction"]?.stringValue != "inbound" }.reversed()
    }

    /// A path inside the repository (tests run with the package root as the working directory).
    static func repositoryPath(_ relative: String) -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return relative }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) + "/" + relative
    }
}

extension Harness {
    /// Sends `bytes` on a fresh connection and returns everything the server wrote until it
    /// closed the connection (or 10 s passed): for requests no HTTP client would send.
    func rawExchange(_ bytes: [UInt8]) async throws -> String {
        let port = Int(base.split(separator: ":").last!)!
        return try await withCheckedThrowingContinuation { continuation in
            NativeThread.spawn(name: "raw-client") {
                do {
                    let socket = try Socket.connect(host: "127.0.0.1", port: port)
                    defer { socket.close() }
                    socket.setReceiveTimeout(milliseconds: 10_000)
                    try socket.sendAll(bytes)
                    var response: [UInt8] = []
                    var buffer = [UInt8](repeating: 0, count: 65536)
                    while true {
                        let n = read(socket.fd, &buffer, buffer.count)
                        if n <= 0 { break }
                        response.append(contentsOf: buffer[0..<n])
                    }
                    continuation.resume(returning: String(decoding: response, as: UTF8.self))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}
