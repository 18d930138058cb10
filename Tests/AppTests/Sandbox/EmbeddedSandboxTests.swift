import HTTP
import Model
import Native
import Sandbox
import Testing
@testable import App

/// `serve --sandbox` and `switchboard sandbox` flag handling.
@Suite(.timeLimit(.minutes(1)))
struct EmbeddedSandboxTests {
    static func parse(_ arguments: [String]) throws -> ParsedFlags {
        try ParsedFlags.parse(arguments, flags: ServeCommand.flags, switchNames: ["help", "echo-route", "sandbox"], environment: [:])
    }

    @Test func withoutTheSwitch_nothingStarts() throws {
        #expect(try EmbeddedSandbox.startIfRequested(Self.parse([]), options: ServeOptions()) == nil)
    }

    @Test func sandboxSwitch_startsItAndExportsItsURLs() throws {
        var options = ServeOptions()
        options.port = 0
        let embedded = try #require(try EmbeddedSandbox.startIfRequested(Self.parse(["--sandbox", "--latency-ms", "5"]), options: options))
        let environment = embedded.environment(merging: ["HOME": "/root", "SWITCHBOARD_SANDBOX_STRIPE_URL": "https://api.stripe.com"])
        #expect(environment["SWITCHBOARD_SANDBOX_URL"] == embedded.server.baseURL)
        #expect(environment["SWITCHBOARD_SANDBOX_SMTP"] == embedded.server.smtpURL)
        #expect(environment["HOME"] == "/root")
        // The operator's own value wins.
        #expect(environment["SWITCHBOARD_SANDBOX_STRIPE_URL"] == "https://api.stripe.com")
        #expect(embedded.server.configuration.faults.contains { $0.pathPrefix == "/stripe" && $0.latencyMillis == 5 })
        embedded.switchboardStarted(port: 8123)
        embedded.registerTenant("acme", stripe: (secretKey: "sk_test_acme", webhookSecret: "whsec_acme"),
                                twilio: (accountSID: "AC0123456789abcdef0123456789abcdef", authToken: "tok", number: "+14155550100"))
        #expect(embedded.server.webhookTargets.map(\.url) == ["http://127.0.0.1:8123/v1/tenants/acme/webhooks/stripe",
                                                                "http://127.0.0.1:8123/v1/tenants/acme/webhooks/twilio"])
        #expect(embedded.server.webhookTargets.first?.account == "sk_test_acme")
        embedded.shutdown()
        embedded.server.waitUntilStopped()
    }

    @Test func badFaultFlags_areUsageErrors() throws {
        #expect(throws: UsageError.self) {
            _ = try EmbeddedSandbox.startIfRequested(Self.parse(["--sandbox", "--error-rate", "3"]), options: ServeOptions())
        }
    }
}
