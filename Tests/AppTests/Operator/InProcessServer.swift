import Glibc
import Integration
import Model
import Native
import Sandbox
@testable import App

/// Switchboard with the example tenants, a SQLite file (or the PostgreSQL database given) and the
/// sandbox in this process, for the operator tools (run as child processes) to work against.
final class InProcessServer: @unchecked Sendable {
    // @unchecked Sendable: everything is set in init and only read afterwards.
    let sandbox: SandboxServer
    let app: Application
    let client: HTTPClient
    let databasePath: String
    let base: String

    static let apiKey = "acme-website-key-2026"
    static let operatorKey = "acme-dispatch-key-2026"
    static let tenant = "acme-plumbing"

    init(database: String? = nil) throws {
        var configuration = SandboxServer.Configuration()
        configuration.port = 0
        configuration.smtpPort = 0
        sandbox = try SandboxServer(configuration: configuration)
        try sandbox.start()
        let port = try Socket.unusedLoopbackPort()
        databasePath = database ?? "/tmp/switchboard-operator-\(getpid())-\(Clock.monotonicNanos()).sqlite"
        let options = ServeOptions(host: "127.0.0.1", port: port, tenantsDirectory: SpawnedProcess.packageRoot + "/tenants",
                                   databasePath: databasePath, threads: 1)
        base = "http://127.0.0.1:\(port)"
        app = try Application(options: options, environment: ["SWITCHBOARD_PUBLIC_URL": base], sandbox: sandbox)
        try app.start()
        client = try HTTPClient()
    }

    deinit {
        app.shutdown()
        sandbox.shutdown()
        client.shutdown()
        for suffix in ["", "-wal", "-shm"] { unlink(databasePath + suffix) }
    }

    func call(_ method: String, _ path: String, key: String, json: JSON? = nil, wait: Bool = false) async throws -> JSON {
        var request = HTTPClient.Request(method: method, url: base + path, headers: [("Authorization", "Bearer \(key)")], timeoutSeconds: 30)
        if let json {
            request.headers.append(("Content-Type", "application/json"))
            request.body = json.serializedBytes()
        }
        if wait { request.headers.append(("Prefer", "wait=20")) }
        return try await client.send(request).json ?? .null
    }

    /// Posts a request to Acme's API and returns the interaction once it stopped.
    func book(phone: String, text: String, postalCode: String) async throws -> JSON {
        try await call("POST", "/v1/tenants/\(Self.tenant)/interactions", key: Self.apiKey, json: [
            "from": ["phone": .string(phone), "name": "Test Customer"], "text": .string(text),
            "fields": ["postal_code": .string(postalCode)],
        ], wait: true)
    }

    /// Runs the switchboard binary off the cooperative pool (it blocks until the child exits).
    func tool(_ arguments: [String], key: String? = operatorKey) async throws -> (status: Int32, output: String, errors: String) {
        var environment = ["PATH": "/usr/bin:/bin"]
        if let key { environment["SWITCHBOARD_OPERATOR_KEY"] = key }
        let fixed = environment
        let result = try await offPool { try SpawnedProcess.run(arguments, environment: fixed) }
        return (result.0, result.1, result.2)
    }
}
