import Glibc
import Model
import Native
import Routing
import Testing
@testable import App

/// `trace`, `replay` and `what-if` as an operator runs them, against a server with real traffic.
@Suite(.serialized, .timeLimit(.minutes(4)))
struct OperatorToolsTests {
    static let drainPath = "Path: identify → find_customer → check_area → quote → find_slot → book → deposit → confirm → dispatch → note → done"

    static func line(_ prefix: String, in output: String) -> String? {
        output.split(separator: "\n").map { $0.drop(while: { $0 == " " }) }.first { $0.hasPrefix(prefix) }.map(String.init)
    }

    @Test func trace_fromTheServerAndFromTheDatabase_showsThePath() async throws {
        let server = try InProcessServer()
        let booked = try await server.book(phone: "+15125550188", text: "My kitchen sink is clogged", postalCode: "78704")
        let id = try #require(booked["id"]?.stringValue)
        #expect(booked["status"] == "completed")

        let viaServer = try await server.tool(["trace", id, "--tenant", InProcessServer.tenant, "--url", server.base])
        #expect(viaServer.status == 0, "\(viaServer.errors)")
        #expect(Self.line("Path:", in: viaServer.output) == Self.drainPath, "\(viaServer.output)")
        #expect(viaServer.output.contains("Messages sent:"))
        #expect(Self.line("Total", in: viaServer.output)?.hasSuffix("$149.00") == true)

        let viaDatabase = try await server.tool(["trace", id, "--tenant", InProcessServer.tenant, "--db", server.databasePath], key: nil)
        #expect(viaDatabase.status == 0, "\(viaDatabase.errors)")
        #expect(Self.line("Path:", in: viaDatabase.output) == Self.drainPath)

        let json = try await server.tool(["trace", id, "--tenant", InProcessServer.tenant, "--url", server.base, "--json"])
        let trace = try JSONParser.parse(json.output)
        let answers = trace["steps"]?.arrayValue?.flatMap { $0["answers"]?.arrayValue ?? [] } ?? []
        #expect(answers.contains { $0["role"] == "scheduling" && $0["operation"] == "createBooking" && $0.value(at: "result.uid") != nil })
        #expect(!json.output.contains("client_secret") && !json.output.contains("sk_test_sandbox_acme"), "no secret in a trace")

        let wrongKey = try await server.tool(["trace", id, "--tenant", InProcessServer.tenant, "--url", server.base], key: "nope")
        #expect(wrongKey.status == 1)
        #expect(wrongKey.errors.contains("HTTP 401"), "\(wrongKey.errors)")
        let noKey = try await server.tool(["trace", id, "--tenant", InProcessServer.tenant, "--url", server.base], key: nil)
        #expect(noKey.status == 2)
        #expect(noKey.errors.contains("SWITCHBOARD_OPERATOR_KEY"))
        let unknown = try await server.tool(["trace", "int_01M80FXS36ECQZZCK8T5BYW5FB", "--tenant", InProcessServer.tenant, "--db", server.databasePath], key: nil)
        #expect(unknown.status == 1)
        #expect(unknown.errors.contains("no interaction int_01M80FXS36ECQZZCK8T5BYW5FB for tenant acme-plumbing"))
    }

    @Test(.enabled(if: getenv("SWITCHBOARD_TEST_POSTGRES_URL") != nil, "needs SWITCHBOARD_TEST_POSTGRES_URL (scripts/test starts a server)"))
    func trace_fromAPostgresJournal_showsThePath() async throws {
        let server = String(cString: getenv("SWITCHBOARD_TEST_POSTGRES_URL")!)
        let schema = "tools_\(getpid())_\(Clock.monotonicNanos())"
        let admin = try PQConnection(url: try #require(PostgresURL(server)))
        try admin.execute("CREATE SCHEMA \(schema)")
        defer { try? admin.execute("DROP SCHEMA \(schema) CASCADE") }
        let database = server + "?options=-csearch_path%3D\(schema)"
        let switchboard = try InProcessServer(database: database)
        let booked = try await switchboard.book(phone: "+15125550191", text: "My kitchen sink is clogged", postalCode: "78704")
        let id = try #require(booked["id"]?.stringValue)
        let viaDatabase = try await switchboard.tool(["trace", id, "--tenant", InProcessServer.tenant, "--db", database], key: nil)
        #expect(viaDatabase.status == 0, "\(viaDatabase.errors)")
        #expect(Self.line("Path:", in: viaDatabase.output) == Self.drainPath, "\(viaDatabase.output)")
        await switchboard.app.engine.shutdown(timeoutSeconds: 1)
    }

    @Test func replay_ofAFailedInteraction_runsItsFlowAgain() async throws {
        let server = try InProcessServer()
        let refused = try await server.book(phone: "+15125550109", text: "Burst pipe, water everywhere", postalCode: "99999")
        let id = try #require(refused["id"]?.stringValue)
        #expect(refused["status"] == "failed")
        let replayed = try await server.tool(["replay", id, "--tenant", InProcessServer.tenant, "--url", server.base])
        #expect(replayed.status == 0, "\(replayed.errors)")
        #expect(replayed.output.hasPrefix("Replayed \(id) of acme-plumbing."))
        #expect(Self.line("Path:", in: replayed.output)?.components("check_area") == 2, "the flow ran twice: \(replayed.output)")
        let completed = try await server.book(phone: "+15125550110", text: "My kitchen sink is clogged", postalCode: "78704")
        let notReplayable = try await server.tool(["replay", completed["id"]!.stringValue!, "--tenant", InProcessServer.tenant, "--url", server.base])
        #expect(notReplayable.status == 1)
        #expect(notReplayable.errors.contains("only failed or dead ones can be replayed"), "\(notReplayable.errors)")
    }

    @Test func whatIf_sameFileChangesNothing_editsShowTheirEffect() async throws {
        let server = try InProcessServer()
        _ = try await server.book(phone: "+15125550120", text: "My kitchen sink is clogged", postalCode: "78704")
        let parked = try await server.book(phone: "+15125550121", text: "We have no hot water, the water heater died", postalCode: "78701")
        let parkedID = try #require(parked["id"]?.stringValue)
        #expect(parked["status"] == "awaiting_approval")
        let approved = try await server.call("POST", "/v1/tenants/acme-plumbing/interactions/\(parkedID)/approve",
                                             key: InProcessServer.operatorKey, json: ["by": "owner"])
        #expect(approved["status"] == "completed", "\(approved)")
        _ = try await server.book(phone: "+15125550122", text: "Burst pipe, water everywhere", postalCode: "99999")

        let original = SpawnedProcess.packageRoot + "/tenants/acme-plumbing.yaml"
        let same = try await server.tool(["what-if", original, "--db", server.databasePath, "--since", "1h"], key: nil)
        #expect(same.status == 0, "\(same.errors)")
        #expect(same.output.contains("Summary: 3 replayed: 0 with another outcome or path, 0 with another price, 0 with other messages; 3 unchanged."),
                "\(same.output)")
        #expect(same.output.contains("every call had a recorded answer"), "\(same.output)")

        let folder = try FileSystem.makeTemporaryDirectory(prefix: "whatif")
        defer { FileSystem.removeTree(folder) }
        let text = String(decoding: try FileSystem.readFile(original), as: UTF8.self)
        let dearer = folder + "/dearer.yaml"
        try FileSystem.writeFileAtomically(dearer, Array(text.replacing("price: 149.00", with: "price: 159.00").utf8))
        let priced = try await server.tool(["what-if", dearer, "--db", server.databasePath], key: nil)
        #expect(priced.output.contains("price:    $149.00 → $159.00"), "\(priced.output)")
        #expect(priced.output.contains("Quote: $159.00. Please pay the $39.75 deposit"), "\(priced.output)")
        #expect(priced.output.contains("1 with another price, 1 with other messages; 2 unchanged."), "\(priced.output)")

        let trusting = folder + "/trusting.yaml"
        try FileSystem.writeFileAtomically(trusting, Array(text.replacing("approval_above: 750.00", with: "approval_above: 2000.00").utf8))
        let unparked = try await server.tool(["what-if", trusting, "--db", server.databasePath], key: nil)
        #expect(unparked.output.contains("path was: identify → find_customer → check_area → quote → owner_approval → find_slot"), "\(unparked.output)")
        #expect(unparked.output.contains("path now: identify → find_customer → check_area → quote → find_slot"), "\(unparked.output)")
        #expect(unparked.output.contains("Nothing was sent, booked or charged"))
    }
}

extension String {
    func components(_ needle: String) -> Int {
        var count = 0
        var rest = self[...]
        while let range = rest.firstRange(of: needle) {
            count += 1
            rest = rest[range.upperBound...]
        }
        return count
    }
}
