import Integration
import Model
import Native
import Testing

/// A verified webhook event that no flow of the tenant serves is stored as an interaction that
/// ends `ignored`, with the reason, and is acknowledged (2xx) so the provider stops retrying.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct IgnoredEventTests {
    static let tenant = AcmePlumbingTests.tenant

    @Test func anEventNoFlowServes_isStoredAsIgnored_listedCountedAndAcknowledged() async throws {
        let harness = try Harness()
        let body = APIContractTests.stripeEvent("evt_ignored_1", type: "charge.refunded")
        let signature = APIContractTests.stripeSignature(body, secret: "whsec_sandbox_acme", at: Clock.unixSeconds())
        let answer = try await APIContractTests.postWebhook(harness, tenant: Self.tenant, body: body, signature: signature)
        #expect(answer.status == 200, "\(answer.bodyText)")
        #expect(answer.json?["ignored"] == "no flow serves the event stripe.charge.refunded", "\(answer.bodyText)")
        let id = try #require(answer.json?["id"]?.stringValue, "stored, so the answer names it: \(answer.bodyText)")

        let trace = try await harness.waitFor(Self.tenant, id, key: Harness.acmeOperatorKey, statuses: ["ignored"])
        #expect(trace["status"] == "ignored", "\(trace.serialized())")
        #expect(trace["reason"] == "no flow serves the event stripe.charge.refunded")
        #expect(trace["event"] == "stripe.charge.refunded" && trace["steps"]?.arrayValue?.isEmpty == true)

        let path = "/v1/tenants/\(Self.tenant)/interactions"
        let listed = try await harness.call("GET", "\(path)?status=ignored", key: Harness.acmeOperatorKey)
        #expect(listed.status == 200 && listed.json?["data"]?.arrayValue?.map { $0["id"] } == [.string(id)], "\(listed.bodyText)")
        let stats = try await harness.call("GET", "/v1/tenants/\(Self.tenant)/stats", key: Harness.acmeOperatorKey)
        #expect(stats.json?.value(at: "by_status.ignored")?.intValue == 1, "\(stats.bodyText)")
        #expect(stats.json?.value(at: "resolution_ms.count")?.intValue == 0, "an ignored event resolves nothing: \(stats.bodyText)")
        let metrics = try await harness.call("GET", "/metrics").bodyText
        #expect(metrics.contains(#"switchboard_interactions_total{status="ignored",tenant="acme-plumbing"} 1"#)
                || metrics.contains(#"switchboard_interactions_total{tenant="acme-plumbing",status="ignored"} 1"#),
                "\(metrics.split(separator: "\n").filter { $0.contains("interactions_total") })")

        // The provider retrying the delivery is acknowledged with the same interaction, not a second one.
        let again = try await APIContractTests.postWebhook(harness, tenant: Self.tenant, body: body, signature: signature)
        #expect(again.status == 200 && again.json?["id"]?.stringValue == id, "\(again.bodyText)")
        let all = try await harness.call("GET", path, key: Harness.acmeOperatorKey)
        #expect(all.json?["data"]?.arrayValue?.count == 1, "\(all.bodyText)")
    }
}
