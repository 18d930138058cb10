@testable import Integration
import Model
import Sandbox
import Testing

/// Slack adapter against the sandbox over real HTTP.
@Suite(.timeLimit(.minutes(1)))
struct SlackNotifierTests {
    @Test func notify_postsTheTextEscapedAndRecordsNoWebhookSecret() async throws {
        let fixture = try SandboxFixture()
        try await fixture.slack(token: "XyZsecret123").notify("New job <urgent> for Ann & Bo", context: fixture.context())
        let post = try #require(fixture.sandbox.outbox(kind: "slack").first)
        #expect(post["body"]?.stringValue == "New job <urgent> for Ann & Bo")
        let record = try #require(fixture.log.records.last)
        #expect(record.succeeded)
        #expect(record.url == "http://127.0.0.1:\(fixture.baseURL.split(separator: ":").last!)/[redacted]")
        #expect(!"\(record)".contains("XyZsecret123"))
        try await fixture.stop()
    }

    @Test func revokedWebhook_isAnAuthFailure() async throws {
        let fixture = try SandboxFixture()
        let error = await #expect(throws: ProviderError.self) {
            try await fixture.slack(token: "revoked-hook").notify("hello", context: fixture.context())
        }
        #expect(error?.kind == .authFailure)
        #expect(error?.code == "no_service")
        try await fixture.stop()
    }

    @Test func escape_handlesSlacksControlCharacters() {
        #expect(SlackNotifier.escape("a<b>&c é") == "a&lt;b&gt;&amp;c é")
    }
}
