import Model
import Native
import Testing
@testable import App

/// `http.call` end to end: a generic HTTP system's answer goes into the step's trace like a
/// provider role's, so what-if replays can answer from it.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct HTTPSystemCallTests {
    /// Acme Plumbing with a `parts` system, asked after the customer is found. The sandbox has no
    /// simulator for generic systems, so the call gets its 404.
    static func tenantsDirectory() throws -> String {
        let directory = try FileSystem.makeTemporaryDirectory(prefix: "switchboard-http-call")
        let acme = String(decoding: try FileSystem.readFile(Harness.repositoryPath("tenants/acme-plumbing.yaml")), as: UTF8.self)
        let system = """
              systems:
                parts:
                  base_url: ${SWITCHBOARD_SANDBOX_URL:-http://127.0.0.1:8089}/parts
                  operations:
                    check_stock:
                      method: GET
                      path: /stock/{{fields.postal_code}}
                      response:
                        available: data.available

            # Anchors for settings
            """
        let flow = """
                    on: { ok: stock, error: system_problem }
                  stock:
                    agent: http.call
                    params: { integration: parts, operation: check_stock }
                    on: { ok: check_area, not_found: check_area, error: check_area }

            """
        let edited = acme.replacingFirst("\n# Anchors for settings", with: "\n" + system)
            .replacingFirst("        on: { ok: check_area, error: system_problem }\n", with: flow)
        try FileSystem.writeFileAtomically(directory + "/acme-plumbing.yaml", Array(edited.utf8))
        return directory
    }

    @Test func systemCall_isRunAndItsAnswerRecordedInTheTrace() async throws {
        let directory = try Self.tenantsDirectory()
        defer { FileSystem.removeTree(directory) }
        let harness = try Harness { $0.tenantsDirectory = directory }
        let trace = try await AcmePlumbingTests.book(harness, phone: "+15125550177")
        let steps = trace["steps"]?.arrayValue ?? []
        let stock = try #require(steps.first(where: { $0["state"] == "stock" }), "\(trace)")
        #expect(stock["outcome"] == "not_found", "\(stock)")
        let answers = stock["answers"]?.arrayValue ?? []
        #expect(answers.count == 1, "\(stock)")
        #expect(answers.first?["role"] == "http" && answers.first?["operation"] == "parts.check_stock", "\(answers)")
        #expect(answers.first?.value(at: "error.status") == 404, "\(answers)")
        #expect(trace["status"] == "completed", "the flow goes on after the system's 404: \(trace["reason"] ?? JSON.null)")
    }
}
