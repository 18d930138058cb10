import Glibc
import Model
import Native
import Synchronization
import Testing
@testable import App

/// Edits tenant files under a running server and watches what it serves.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct TenantReloadTests {
    static let token = "admin-test-token"

    /// A server on a port of its own over a temporary copy of the plumber example.
    final class Server {
        let folder: String
        let app: Application
        var file: String { folder + "/acme-plumbing.yaml" }
        let original: String

        init(watch: Bool = true, copyExample: Bool = true) throws {
            folder = try FileSystem.makeTemporaryDirectory(prefix: "reload-test")
            original = String(decoding: try FileSystem.readFile(SpawnedProcess.packageRoot + "/tenants/acme-plumbing.yaml"), as: UTF8.self)
            if copyExample { try FileSystem.writeFileAtomically(folder + "/acme-plumbing.yaml", Array(original.utf8)) }
            var options = ServeOptions(port: 0, tenantsDirectory: folder, threads: 1)
            options.adminToken = TenantReloadTests.token
            options.watchTenants = watch
            app = try Application(options: options, environment: [:])
            try app.start()
        }

        func stop() async throws {
            let app = self.app
            app.shutdown()
            _ = try await offPool { app.waitUntilStopped() }
            FileSystem.removeTree(folder)
        }

        func edit(_ transform: (String) -> String) throws {
            try FileSystem.writeFileAtomically(file, Array(transform(original).utf8))
        }
    }

    /// The served acme tenant's (name, version, last error) from the admin endpoint.
    static func acme(_ response: AppTestClient.Response) -> (name: String?, version: String?, error: JSON?) {
        let tenant = response.json?["tenants"]?.arrayValue?.first { $0["id"]?.stringValue == "acme-plumbing" }
        return (tenant?["name"]?.stringValue, tenant?["version"]?.stringValue, tenant?["last_error"])
    }

    @Test func validEdit_appliesWithinOneSecond_withNoFailedRequest_invalidEditChangesNothing() async throws {
        let server = try Server()
        let port = server.app.port
        let stop = Atomic<Bool>(false)
        // Requests run all through both edits, on a keep-alive connection.
        let poller = Task {
            try await offPool { () -> [Int] in
                let client = try AppTestClient(port: port)
                var statuses: [Int] = []
                while !stop.load(ordering: .relaxed) {
                    statuses.append(try client.get("/v1/admin/tenants", token: TenantReloadTests.token).status)
                    statuses.append(try client.get("/readyz").status)
                }
                return statuses
            }
        }
        let before = try await offPool { Self.acme(try AppTestClient(port: port).get("/v1/admin/tenants", token: Self.token)) }
        #expect(before.name == "Acme Plumbing & Drain")

        // A valid edit: the new name is served within a second.
        let edited = Clock.monotonicNanos()
        try server.edit { $0.replacingFirst("  name: Acme Plumbing & Drain\n", with: "  name: Acme Plumbing & Drain Co.\n") }
        let after = try await offPool { () -> (String?, String?, Double) in
            let client = try AppTestClient(port: port)
            while true {
                let (name, version, _) = Self.acme(try client.get("/v1/admin/tenants", token: Self.token))
                let elapsed = Double(Clock.monotonicNanos() - edited) / 1e9
                if name == "Acme Plumbing & Drain Co." || elapsed > 5 { return (name, version, elapsed) }
                usleep(2_000)
            }
        }
        #expect(after.0 == "Acme Plumbing & Drain Co.")
        #expect(after.2 < 1.0, "the edit took \(after.2) s to apply")
        #expect(after.1 != before.version)

        // An invalid edit: the same version keeps serving; the error is reported with its position.
        try server.edit { $0.replacingFirst("    price: 149.00\n", with: "    price: 149.0O\n") }
        let rejected = try await offPool { () -> (String?, JSON?, String) in
            let client = try AppTestClient(port: port)
            let started = Clock.monotonicNanos()
            while true {
                let (_, version, error) = Self.acme(try client.get("/v1/admin/tenants", token: Self.token))
                if error != nil && error != .null || Clock.monotonicNanos() - started > 5_000_000_000 {
                    return (version, error, try client.get("/metrics").body)
                }
                usleep(5_000)
            }
        }
        stop.store(true, ordering: .relaxed)
        let statuses = try await poller.value
        #expect(rejected.0 == after.1)
        let problem = rejected.1?["problems"]?[0]
        // The line the edit is on, wherever the example file has it.
        let line = (server.original.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0 == "    price: 149.00" } ?? -1) + 1
        #expect(problem?["text"]?.stringValue
                == "\(server.file):\(line):12: services.drain_cleaning.price: expected an amount like 89.00, got the string \"149.0O\"")
        #expect(problem?["line"] == .int(Int64(line)))
        #expect(rejected.2.contains("switchboard_config_last_reload_error{tenant=\"acme-plumbing\",file=\"acme-plumbing.yaml\"} 1"))
        #expect(rejected.2.contains("switchboard_config_reloads_total{result=\"failure\"} 1"))
        #expect(statuses.count > 10)
        #expect(statuses.allSatisfy { $0 == 200 }, "failed requests: \(statuses.filter { $0 != 200 })")
        try await server.stop()
    }

    @Test func explicitReload_appliesEdits_whenNotWatching() async throws {
        let server = try Server(watch: false)
        let port = server.app.port
        try server.edit { $0.replacingFirst("  name: Acme Plumbing & Drain\n", with: "  name: Acme Plumbing (SIGHUP)\n") }
        usleep(300_000)
        let unchanged = try await offPool { Self.acme(try AppTestClient(port: port).get("/v1/admin/tenants", token: Self.token)).name }
        #expect(unchanged == "Acme Plumbing & Drain")
        server.app.reload()  // what SIGHUP calls
        let reloaded = try await offPool { Self.acme(try AppTestClient(port: port).get("/v1/admin/tenants", token: Self.token)).name }
        #expect(reloaded == "Acme Plumbing (SIGHUP)")
        try await server.stop()
    }

    @Test func readiness_failsUntilATenantIsServed() async throws {
        let server = try Server(copyExample: false)
        let port = server.app.port
        let notReady = try await offPool { try AppTestClient(port: port).get("/readyz") }
        #expect(notReady.status == 503)
        #expect(notReady.json?["failing"] == ["tenants"])
        try FileSystem.writeFileAtomically(server.file, Array(server.original.utf8))
        let ready = try await offPool { () -> Int in
            let client = try AppTestClient(port: port)
            for _ in 0..<200 {
                let status = try client.get("/readyz").status
                if status == 200 { return status }
                usleep(10_000)
            }
            return 503
        }
        #expect(ready == 200)
        try await server.stop()
    }

    @Test func adminEndpoint_needsTheToken() async throws {
        let server = try Server()
        let port = server.app.port
        let (missing, wrong, right) = try await offPool { () -> (AppTestClient.Response, AppTestClient.Response, AppTestClient.Response) in
            let client = try AppTestClient(port: port)
            return (try client.get("/v1/admin/tenants"), try client.get("/v1/admin/tenants", token: "guess"),
                    try client.get("/v1/admin/tenants", token: Self.token))
        }
        #expect(missing.status == 401)
        #expect(missing.json?["error"]?["code"] == "unauthorized")
        #expect(wrong.status == 401)
        #expect(right.status == 200)
        let tenant = right.json?["tenants"]?[0]
        #expect(tenant?["id"] == "acme-plumbing")
        #expect(tenant?["source"]?.stringValue == server.file)
        #expect(tenant?["version"]?.stringValue?.count == 16)
        #expect(tenant?["loaded_at"]?.stringValue?.hasSuffix("Z") == true)
        #expect(tenant?["last_error"] == .null)
        try await server.stop()
    }
}
