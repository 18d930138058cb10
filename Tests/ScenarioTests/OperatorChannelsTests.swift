import Integration
import Model
import Native
import Sandbox
import Testing
@testable import App

/// The operator on any channel, end to end over real HTTP against the sandbox: by email for a
/// business without Slack, and by SMS when Slack fails.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct OperatorChannelsTests {
    static let slack = """
          operator:
            provider: slack
            base_url: ${SWITCHBOARD_SANDBOX_URL:-http://127.0.0.1:8089}/slack
            credentials:
              webhook_path: ${ACME_SLACK_WEBHOOK_PATH:-/services/T0ACME/B0DISPATCH/sandbox}
            rate_limit: { requests_per_second: 1, burst: 5 }

        """
    static let dispatcherEmail = "dispatch@acmeplumbing.example"
    static let dispatcherPhone = "+15125550199"

    /// Acme Plumbing with `edit` applied to its file, alone in a fresh folder.
    static func tenantsDirectory(_ edit: (String) -> String) throws -> String {
        let directory = try FileSystem.makeTemporaryDirectory(prefix: "switchboard-operator")
        let acme = String(decoding: try FileSystem.readFile(Harness.repositoryPath("tenants/acme-plumbing.yaml")), as: UTF8.self)
        let edited = edit(acme)
        #expect(edited != acme)
        try FileSystem.writeFileAtomically(directory + "/acme-plumbing.yaml", Array(edited.utf8))
        return directory
    }

    static func step(_ trace: JSON, _ state: String) -> JSON {
        trace["steps"]?.arrayValue?.last { $0["state"]?.stringValue == state } ?? .null
    }

    @Test func businessWithoutSlack_hearsOfTheJobAndTheApprovalByEmail() async throws {
        let directory = try Self.tenantsDirectory { acme in
            acme.replacingFirst(Self.slack, with: """
                  email:
                    provider: smtp
                    base_url: ${SWITCHBOARD_SANDBOX_SMTP:-smtp://127.0.0.1:2525}
                    starttls: false

                """)
                .replacingFirst("channels:\n", with: """
                    channels:
                      email:
                        from: "Acme Plumbing <bookings@acmeplumbing.example>"
                      operator:
                        email: "Acme Dispatch <\(Self.dispatcherEmail)>"

                    """)
        }
        defer { FileSystem.removeTree(directory) }
        let harness = try Harness { $0.tenantsDirectory = directory }
        let trace = try await AcmePlumbingTests.book(harness, phone: "+15125550181")
        #expect(trace["status"] == "completed", "\(trace["reason"] ?? JSON.null) \(AcmePlumbingTests.states(trace))")
        let dispatch = Self.step(trace, "dispatch")
        #expect(dispatch.value(at: "decision.summary") == "notified the operator by email", "\(dispatch)")
        #expect(dispatch.value(at: "messages.0.channel") == "email")
        let emails = harness.outbox(to: Self.dispatcherEmail)
        #expect(emails.count == 1)
        #expect(emails.first?["kind"] == "email")
        #expect(emails.first?["subject"]?.stringValue?.hasPrefix("New job: Drain cleaning") == true, "\(emails.first ?? JSON.null)")
        #expect(harness.outbox().filter { $0["kind"] == "slack" }.isEmpty)

        // approval.request reaches the operator the same way.
        let response = try await harness.call(
            "POST", "/v1/tenants/\(AcmePlumbingTests.tenant)/interactions", key: Harness.acmeKey,
            json: ["from": ["phone": "+15125550182", "name": "Sam Ortiz"], "text": "We have no hot water, the water heater died",
                   "fields": ["postal_code": "78701"]],
            headers: [("Prefer", "wait=20")])
        #expect(response.json?["status"] == "awaiting_approval", "\(response.bodyText)")
        #expect(JSON.texts(harness.outbox(to: Self.dispatcherEmail)).contains { $0.contains("Approval needed: Water heater replacement") })
        #expect(harness.outbox().filter { $0["kind"] == "slack" }.isEmpty)
    }

    @Test func slackFailing_theNoticeGoesOutBySMS_andTheTraceSaysWhy() async throws {
        let directory = try Self.tenantsDirectory { acme in
            acme.replacingFirst("channels:\n", with: "channels:\n  operator:\n    sms: \"\(Self.dispatcherPhone)\"\n")
        }
        defer { FileSystem.removeTree(directory) }
        let harness = try Harness { $0.tenantsDirectory = directory }
        harness.sandbox.addFault(FaultRule(method: "POST", pathPrefix: "/slack", errorRate: 1, errorStatus: 500))
        let trace = try await AcmePlumbingTests.book(harness, phone: "+15125550183")
        #expect(trace["status"] == "completed", "\(trace["reason"] ?? JSON.null) \(AcmePlumbingTests.states(trace))")
        let dispatch = Self.step(trace, "dispatch")
        #expect(dispatch["outcome"] == "ok")
        #expect(dispatch.value(at: "decision.summary") == "notified the operator by sms", "\(dispatch)")
        let reasons = dispatch.value(at: "decision.reasons")?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(reasons.first?.hasPrefix("slack failed: ") == true && reasons.first?.contains("500") == true, "\(reasons)")
        #expect(reasons.last == "delivered by sms to \(Self.dispatcherPhone)")
        #expect(dispatch.value(at: "messages.0.failed_channels.0.channel") == "slack")
        // Slack answered 500 (a post that may have happened is not retried by the runtime), then Twilio sent.
        let calls = dispatch.value(at: "calls")?.arrayValue ?? []
        #expect(calls.map { "\($0["provider"]?.stringValue ?? "?") \($0["status"]?.intValue ?? 0)" } == ["slack 500", "twilio 201"], "\(calls)")
        #expect(JSON.texts(harness.outbox(to: Self.dispatcherPhone)).filter { $0.hasPrefix("New job: Drain cleaning") }.count == 1)
        #expect(harness.outbox().filter { $0["kind"] == "slack" }.isEmpty)
        // The Slack webhook's secret path is in no trace.
        #expect(!trace.serialized().contains("B0DISPATCH"))
    }
}
