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
        #expect(try EmbeddedSandbox.startIfRequested(Self.parse([])) == nil)
    }

    @Test func sandboxSwitch_startsItWithTheFaultFlags() throws {
        let embedded = try #require(try EmbeddedSandbox.startIfRequested(
            Self.parse(["--sandbox", "--sandbox-port", "0", "--sandbox-smtp-port", "0", "--latency-ms", "5"])))
        #expect(!embedded.server.baseURL.hasSuffix(":0"))
        #expect(embedded.server.environment["SWITCHBOARD_SANDBOX_URL"] == embedded.server.baseURL)
        #expect(embedded.server.environment["SWITCHBOARD_SANDBOX_SMTP"] == embedded.server.smtpURL)
        #expect(embedded.server.configuration.faults.contains { $0.pathPrefix == "/stripe" && $0.latencyMillis == 5 })
        embedded.shutdown()
        embedded.server.waitUntilStopped()
    }

    @Test func defaultPorts_matchTheExampleTenants() throws {
        let parsed = try Self.parse(["--sandbox"])
        #expect(try parsed.int("sandbox-port") == 8089)
        #expect(try parsed.int("sandbox-smtp-port") == 2525)
    }

    @Test func portOutOfRange_isAUsageError() throws {
        #expect(throws: UsageError.self) {
            _ = try EmbeddedSandbox.startIfRequested(Self.parse(["--sandbox", "--sandbox-port", "70000"]))
        }
    }

    @Test func badFaultFlags_areUsageErrors() throws {
        #expect(throws: UsageError.self) {
            _ = try EmbeddedSandbox.startIfRequested(Self.parse(["--sandbox", "--sandbox-port", "0", "--sandbox-smtp-port", "0", "--error-rate", "3"]))
        }
    }
}
