import Model
import Native
import Routing
import Sandbox
import Testing
@testable import App

/// A dry run's configuration never points anywhere but the sandbox in its process.
@Suite(.timeLimit(.minutes(1)))
struct DryRunConfigTests {
    @Test func requiredVariables_areThoseWithoutDefaults_andKnowURLSettings() {
        let yaml = """
            base_url: ${API_URL}
            token: ${TOKEN} and ${TOKEN}
            other: ${WITH_DEFAULT:-x}
            escaped: $${NOT_A_VARIABLE}
            """
        let found = DryRunConfig.requiredVariables(in: Array(yaml.utf8))
        #expect(found.map(\.name) == ["API_URL", "TOKEN"])
        #expect(found.map(\.isURL) == [true, false])
    }

    @Test func productionFile_isRedirectedToTheSandbox_andNeedsNoSecrets() throws {
        let folder = try FileSystem.makeTemporaryDirectory(prefix: "dryrun")
        defer { FileSystem.removeTree(folder) }
        // The example file pointed at real providers, with secrets that are not in this environment.
        var text = String(decoding: try FileSystem.readFile(SpawnedProcess.packageRoot + "/tenants/acme-plumbing.yaml"), as: UTF8.self)
        text = text.replacing("${SWITCHBOARD_SANDBOX_URL:-http://127.0.0.1:8089}/stripe", with: "https://api.stripe.com")
            .replacing("${ACME_STRIPE_SECRET_KEY:-sk_test_sandbox_acme}", with: "${ACME_STRIPE_SECRET_KEY}")
            .replacing("${ACME_SLACK_WEBHOOK_PATH:-/services/T0ACME/B0DISPATCH/sandbox}", with: "${ACME_SLACK_WEBHOOK_PATH:-https://hooks.slack.com/services/T1/B2/c3}")
        let file = folder + "/acme.yaml"
        try FileSystem.writeFileAtomically(file, Array(text.utf8))
        let dryRun = try DryRun(tenantFile: file, environment: [:])
        defer { dryRun.shutdown() }
        #expect(dryRun.loaded.placeholders == ["ACME_STRIPE_SECRET_KEY"])
        for integration in dryRun.config.integrations.roles.values {
            #expect(integration.baseURL.hasPrefix(dryRun.sandbox.baseURL), "\(integration.role): \(integration.baseURL)")
        }
        #expect(dryRun.config.integrations[.operator]?.credentials["webhook_path"]?.current.reveal() == "/services/T000/B000/sandbox")
    }

    @Test func decisionClock_fixedAndAsReceived() {
        #expect(DecisionClock.fixed(42).now(receivedAt: 7, startedNanos: 0) == 42)
        let started = Clock.monotonicNanos()
        let asReceived = DecisionClock.asReceived.now(receivedAt: 1_900_000_000_000, startedNanos: started)
        #expect(asReceived >= 1_900_000_000_000 && asReceived < 1_900_000_005_000)
        let system = DecisionClock.system.now(receivedAt: 0, startedNanos: started)
        #expect(abs(system - Clock.unixMillis()) < 5_000)
    }
}
