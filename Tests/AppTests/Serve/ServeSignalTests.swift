import Glibc
import Model
import Native
import Testing

/// SIGHUP to the real binary reloads the tenants folder.
@Suite(.timeLimit(.minutes(1)))
struct ServeSignalTests {
    @Test func sighup_reloadsTenants() async throws {
        let folder = try FileSystem.makeTemporaryDirectory(prefix: "sighup-test")
        defer { FileSystem.removeTree(folder) }
        let original = String(decoding: try FileSystem.readFile(SpawnedProcess.packageRoot + "/tenants/riverside-physio.yaml"), as: UTF8.self)
        try FileSystem.writeFileAtomically(folder + "/clinic.yaml", Array(original.utf8))
        let process = try SpawnedProcess(["serve", "--db", ":memory:", "--port", "0", "--threads", "1", "--tenants", folder, "--admin-token", "t", "--no-watch"])
        let port = try await offPool { () -> Int in
            // The "listening" log line carries the bound port.
            for _ in 0..<500 {
                if let line = process.stderr.split(separator: "\n").first(where: { $0.contains("\"msg\":\"listening\"") }),
                   let port = (try? JSONParser.parse(String(line)))?["port"]?.intValue {
                    return Int(port)
                }
                usleep(10_000)
            }
            throw SpawnedProcess.Failure(description: "the server did not start: \(process.stderr)")
        }
        try FileSystem.writeFileAtomically(folder + "/clinic.yaml",
                                           Array(original.replacingFirst("  name: Riverside Physiotherapy\n", with: "  name: Riverside Physio\n").utf8))
        kill(process.pid, SIGHUP)
        let name = try await offPool { () -> String? in
            let client = try AppTestClient(port: port)
            for _ in 0..<300 {
                let name = client.nameOfFirstTenant(token: "t")
                if name == "Riverside Physio" { return name }
                usleep(10_000)
            }
            return client.nameOfFirstTenant(token: "t")
        }
        #expect(name == "Riverside Physio")
        kill(process.pid, SIGTERM)
        #expect(process.waitForExit() == 0)
        #expect(process.stderr.contains("\"msg\":\"SIGHUP received\""))
    }
}

extension AppTestClient {
    func nameOfFirstTenant(token: String) -> String? {
        (try? get("/v1/admin/tenants", token: token))?.json?["tenants"]?[0]?["name"]?.stringValue
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(target) {
                return String(self[..<index]) + replacement + String(self[self.index(index, offsetBy: target.count)...])
            }
            index = self.index(after: index)
        }
        return self
    }
}
