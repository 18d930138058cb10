import Native
import Testing

/// A flow chosen by service takes requests for that service however they name it: the text is
/// classified before the flow is chosen. Tidy Nest with deep cleans given a flow of their own
/// (a call from the office instead of an online booking), through `switchboard simulate`.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct FlowRoutingTests {
    static let deepCleanFlow = """
          deep_cleans:
            serves:
              channels: [sms, api]
              services: [deep_clean]
            start: identify
            states:
              identify:
                agent: intent.classify
                next: find_customer
              find_customer:
                agent: customer.find_or_create
                next: call_back
              call_back:
                agent: notify.customer
                params: { template: deep_call }
                next: tell_office
              tell_office:
                agent: notify.operator
                params: { template: deep_call_ops }
                next: note
              note:
                agent: crm.note
                params: { template: deep_note }
                next: done
              done:
                final: completed

        """

    static let templates = """
          deep_call:
            audience: customer
            text: "Thanks! The office will call you to plan your deep clean."
          deep_call_ops:
            audience: operator
            text: "Deep clean request from {{from.phone}}: \\"{{interaction.text}}\\" Please call them."
          deep_note:
            audience: crm
            text: "Deep clean requested; the office calls back."

        """

    static func file() throws -> String {
        let original = String(decoding: try FileSystem.readFile(SpawnedProcess.packageRoot + "/tenants/tidy-nest-cleaning.yaml"), as: UTF8.self)
        let marker = "  # Stripe says a deposit was paid.\n"
        #expect(original.contains(marker))
        let text = original.replacingFirst(marker, with: deepCleanFlow + marker).replacingFirst("templates:\n", with: "templates:\n" + templates)
        let folder = try FileSystem.makeTemporaryDirectory(prefix: "flow-routing")
        let path = folder + "/tidy-nest-cleaning.yaml"
        try FileSystem.writeFileAtomically(path, Array(text.utf8))
        return path
    }

    @Test func aServiceNamedInFreeText_takesItsFlow_asTheAPIsServiceFieldDoes() throws {
        let path = try Self.file()
        let arguments = ["simulate", path, "--from", "+15035550190", "--field", "bedrooms=4", "--field", "postal_code=97202",
                         "--at", "2030-06-04T09:00"]
        let (status, output, errors) = try SpawnedProcess.run(arguments + ["--text", "We need a deep clean before we move out"],
                                                              environment: ["PATH": "/usr/bin:/bin"])
        #expect(status == 0, "\(errors)")
        #expect(SimulateCommandTests.line("Outcome:", in: output) == "Outcome: completed (deep_cleans › done)", "\(output)")
        #expect(SimulateCommandTests.line("Path:", in: output)
                == "Path: route → identify → find_customer → call_back → tell_office → note → done", "\(output)")
        #expect(output.contains("already recognised Deep clean"))
        // A standard clean in the same words' shape stays on the default flow.
        let (_, standard, _) = try SpawnedProcess.run(arguments + ["--text", "We need a clean before we move in"],
                                                      environment: ["PATH": "/usr/bin:/bin"])
        #expect(SimulateCommandTests.line("Outcome:", in: standard)?.hasPrefix("Outcome: completed (booking › done)") == true, "\(standard)")
    }

    @Test func anApprovalRequest_whosePolicyDoesNotCoverTheCase_goesOnWithoutAnOperator() throws {
        let original = String(decoding: try FileSystem.readFile(SpawnedProcess.packageRoot + "/tenants/tidy-nest-cleaning.yaml"), as: UTF8.self)
        // Every quote goes through approval.request; the policy covers only deep cleans above $300.
        let edited = original.replacingFirst("        on: { ok: book, needs_approval: office_approval }\n",
                                             with: "        on: { ok: office_approval, needs_approval: office_approval }\n")
        #expect(edited != original)
        let folder = try FileSystem.makeTemporaryDirectory(prefix: "approval-when")
        try FileSystem.writeFileAtomically(folder + "/t.yaml", Array(edited.utf8))
        let arguments = ["simulate", folder + "/t.yaml", "--from", "+15035550191", "--field", "postal_code=97202", "--at", "2030-06-04T09:00"]
        let (_, small, errors) = try SpawnedProcess.run(arguments + ["--field", "bedrooms=2", "--text", "A deep clean please"],
                                                        environment: ["PATH": "/usr/bin:/bin"])
        #expect(SimulateCommandTests.line("Outcome:", in: small)?.hasPrefix("Outcome: completed") == true, "\(small) \(errors)")
        #expect(small.contains("no approval needed (deep_clean_review)"), "\(small)")
        let (_, large, _) = try SpawnedProcess.run(arguments + ["--field", "bedrooms=5", "--text", "A deep clean please"],
                                                   environment: ["PATH": "/usr/bin:/bin"])
        #expect(SimulateCommandTests.line("Outcome:", in: large)?.hasPrefix("Outcome: awaiting_approval (booking › office_approval)") == true,
                "\(large)")
    }
}
