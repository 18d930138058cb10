import Integration
import Model
import Native
import Sandbox
import Testing
@testable import App

/// A tenant's backlog is bounded (issue 17, part 4): past `access.limits.max_backlog` waiting
/// executions, new work is refused with 503 and Retry-After before anything is stored, on the API
/// and on webhooks, and other tenants go on as before. Before, every request was accepted and
/// waited in memory for a slot however many there were.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct BacklogTests {
    static let list = "/v1/tenants/acme-plumbing/interactions"

    @Test func pastItsBacklog_aTenantsNewWorkIsRefusedWith503_storingNothing_andOthersGoOn() async throws {
        let directory = try FileSystem.makeTemporaryDirectory(prefix: "switchboard-backlog")
        defer { FileSystem.removeTree(directory) }
        let acme = String(decoding: try FileSystem.readFile(Harness.repositoryPath("tenants/acme-plumbing.yaml")), as: UTF8.self)
        let narrow = acme.replacingFirst("    concurrent_executions: 8\n", with: "    concurrent_executions: 1\n    max_backlog: 3\n")
        try #require(narrow != acme, "tenants/acme-plumbing.yaml's limits moved")
        try FileSystem.writeFileAtomically(directory + "/acme-plumbing.yaml", Array(narrow.utf8))
        for other in ["riverside-physio.yaml", "tidy-nest-cleaning.yaml"] {
            try FileSystem.writeFileAtomically(directory + "/" + other, try FileSystem.readFile(Harness.repositoryPath("tenants/" + other)))
        }
        let harness = try Harness { $0.tenantsDirectory = directory }
        // Acme's one slot stays taken: its CRM answers after 1.5 s, for the first 8 calls.
        harness.sandbox.addFault(FaultRule(method: "POST", pathPrefix: "/hubspot/crm/v3/objects/contacts/search", latencyMillis: 1500,
                                           times: 8))

        var accepted: [String] = []
        var refusal: HTTPClient.Response?
        for index in 0..<10 where refusal == nil {
            var body = APIContractTests.body
            body["from"] = ["phone": .string("+1512555\(1000 + index)")]
            let answer = try await harness.call("POST", Self.list, key: Harness.acmeKey, json: body)
            if answer.status == 202, let id = answer.json?["id"]?.stringValue { accepted.append(id) } else { refusal = answer }
        }
        // One running and three waiting (four when the first had not reached its slot yet).
        #expect((3...4).contains(accepted.count), "\(accepted.count) accepted")
        let refused = try #require(refusal)
        #expect(refused.status == 503, "\(refused.bodyText)")
        #expect(refused.json?.value(at: "error.code") == "backlog_full")
        #expect(refused.bodyText.contains("access.limits.max_backlog"), "\(refused.bodyText)")
        #expect(Int(refused.header("Retry-After") ?? "") ?? 0 >= 1)

        // A signed Stripe event is refused the same way: Stripe retries it later.
        let event = APIContractTests.stripeEvent("evt_backlog_1", type: "payment_intent.succeeded")
        let webhook = try await APIContractTests.postWebhook(harness, tenant: "acme-plumbing", body: event,
                                                             signature: APIContractTests.stripeSignature(event, secret: "whsec_sandbox_acme",
                                                                                                         at: Clock.unixSeconds()))
        #expect(webhook.status == 503 && webhook.json?.value(at: "error.code") == "backlog_full", "\(webhook.bodyText)")

        // Nothing refused was stored.
        let stored = try await harness.call("GET", Self.list + "?limit=50", key: Harness.acmeOperatorKey)
        #expect(Set(stored.json?["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []) == Set(accepted))

        // Riverside is not held up.
        let riverside = try await harness.call("POST", "/v1/tenants/riverside-physio/interactions", key: Harness.riversideKey,
                                               json: ["from": ["phone": "+447700900123"], "text": "a sports massage next week"])
        #expect(riverside.status == 202, "\(riverside.bodyText)")

        // Once the backlog has drained, Acme takes work again, and the accepted work all ends.
        for id in accepted {
            _ = try await harness.waitFor("acme-plumbing", id, key: Harness.acmeOperatorKey, statuses: ["completed", "failed", "awaiting_reply",
                                                                                                    "awaiting_approval"], seconds: 60)
        }
        let later = try await harness.call("POST", Self.list, key: Harness.acmeKey, json: APIContractTests.body)
        #expect(later.status == 202, "\(later.bodyText)")
        let metrics = try await harness.call("GET", "/metrics").bodyText
        #expect(metrics.contains("switchboard_backlog_refusals_total{tenant=\"acme-plumbing\"} 2"))
    }
}
