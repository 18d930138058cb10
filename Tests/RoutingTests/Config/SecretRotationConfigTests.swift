import Model
import Testing
@testable import Routing

/// During a rotation a webhook secret or a credential is a list, the new first: each entry is a
/// reference like a single secret, reported at its own position.
struct SecretRotationConfigTests {
    static let acme = TestFiles.text(TestFiles.tenants + "/acme-plumbing.yaml")
    static let stripeSecret = "      secret: ${ACME_STRIPE_WEBHOOK_SECRET:-whsec_sandbox_acme}"
    static let stripeKey = "      secret_key: ${ACME_STRIPE_SECRET_KEY:-sk_test_sandbox_acme}"
    static let environment = ["WHSEC_NEW": "whsec_new", "WHSEC_OLD": "whsec_old", "KEY_NEW": "sk_new", "KEY_OLD": "sk_old"]

    /// Acme with the Stripe webhook's `secret:` line replaced by `line`.
    static func withStripeSecret(_ line: String) throws -> String {
        let edited = acme.replacingFirst(stripeSecret, with: line)
        try #require(edited != acme, "the example no longer has \(stripeSecret.debugDescription)")
        return edited
    }

    /// `line:column` (from 1) of the first `needle` on the line that contains `lineMarker`.
    static func position(of needle: String, onLineWith lineMarker: String, in text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let index = lines.firstIndex(where: { $0.contains(lineMarker) }) else { return "?" }
        let line = String(lines[index])
        guard let range = line.firstRange(of: needle) else { return "?" }
        return "\(index + 1):\(line.distance(from: line.startIndex, to: range.lowerBound) + 1)"
    }

    @Test func webhookSecretList_isRead_newFirst() throws {
        for form in ["      secret: [\"${WHSEC_NEW}\", \"${WHSEC_OLD}\"]", "      secret:\n        - ${WHSEC_NEW}\n        - ${WHSEC_OLD}"] {
            let snapshot = try TestFiles.load(try Self.withStripeSecret(form), environment: Self.environment).get()
            let secrets = try #require(snapshot.config.channels.webhooks[.stripe]?.secrets)
            #expect(secrets.all.map { $0.reveal() } == ["whsec_new", "whsec_old"], "\(form)")
            #expect(secrets.all.map(\.source) == ["WHSEC_NEW", "WHSEC_OLD"])
            #expect(secrets.current.reveal() == "whsec_new")
        }
        // One entry is a list too; a scalar is a set of one.
        let one = try TestFiles.load(try Self.withStripeSecret("      secret: [\"${WHSEC_NEW}\"]"), environment: Self.environment).get()
        #expect(one.config.channels.webhooks[.stripe]?.secrets.count == 1)
        let scalar = try TestFiles.load(Self.acme, environment: [:]).get()
        #expect(scalar.config.channels.webhooks[.stripe]?.secrets.all.map { $0.reveal() } == ["whsec_sandbox_acme"])
    }

    @Test func credentialList_isAccepted_andTheFirstIsCurrent() throws {
        let text = Self.acme.replacingFirst(Self.stripeKey, with: "      secret_key: [\"${KEY_NEW}\", \"${KEY_OLD}\"]")
        try #require(text != Self.acme)
        let snapshot = try TestFiles.load(text, environment: Self.environment).get()
        let key = try #require(snapshot.config.integrations[.payments]?.credentials["secret_key"])
        #expect(key.current.reveal() == "sk_new")
        #expect(key.all.map { $0.reveal() } == ["sk_new", "sk_old"])
        // An identifier in a list may be written out, as it may on its own.
        let sid = Self.acme.replacingFirst("${ACME_TWILIO_ACCOUNT_SID:-AC0000000000000000000000000000ac01}",
                                           with: "[AC0000000000000000000000000000ac02, AC0000000000000000000000000000ac01]")
        try #require(sid != Self.acme)
        #expect(TestFiles.problems(sid, environment: [:]) == [])
    }

    @Test func literalInsideList_isRefusedAtItsPosition_namingAVariable() throws {
        let text = try Self.withStripeSecret("      secret: [\"${WHSEC_NEW}\", whsec_live_old]")
        let problems = TestFiles.problems(text, environment: Self.environment)
        let at = Self.position(of: "whsec_live_old", onLineWith: "whsec_live_old", in: text)
        #expect(problems == ["\(at): channels.webhooks.stripe.secret[1]: a secret written into the file: set it in the environment and "
                             + "write ${STRIPE_WEBHOOK_SECRET_OLD} here (or ${STRIPE_WEBHOOK_SECRET_OLD:-value} for a sandbox default), "
                             + "so it stays out of the file and the repository"])
        // In a credential's block list, the first entry.
        let key = Self.acme.replacingFirst(Self.stripeKey, with: "      secret_key:\n        - sk_live_new\n        - ${KEY_OLD}")
        let keyProblems = TestFiles.problems(key, environment: Self.environment)
        try #require(keyProblems.count == 1, "\(keyProblems)")
        #expect(keyProblems[0].hasPrefix("\(Self.position(of: "sk_live_new", onLineWith: "- sk_live_new", in: key)): "
                                         + "integrations.payments.credentials.secret_key[0]: a secret written into the file: "
                                         + "set it in the environment and write ${PAYMENTS_SECRET_KEY_NEW} here"), "\(keyProblems[0])")
    }

    @Test func emptyList_isRefused() throws {
        let text = try Self.withStripeSecret("      secret: []")
        let at = Self.position(of: "[]", onLineWith: "secret: []", in: text)
        #expect(TestFiles.problems(text, environment: [:]) == [
            "\(at): channels.webhooks.stripe.secret: is an empty list: write one ${VAR}, or during a rotation the new and the old, "
                + "as [\"${NEW}\", \"${OLD}\"]",
        ])
    }

    @Test func repeatedEntry_isRefusedWhereItRepeats() throws {
        let twice = try Self.withStripeSecret("      secret:\n        - ${WHSEC_NEW}\n        - ${WHSEC_NEW}")
        let lines = twice.split(separator: "\n", omittingEmptySubsequences: false)
        let second = "\((lines.lastIndex { $0 == "        - ${WHSEC_NEW}" } ?? -1) + 1):11"
        #expect(TestFiles.problems(twice, environment: Self.environment) == [
            "\(second): channels.webhooks.stripe.secret[1]: repeats the first entry: list each secret once, the new one first",
        ])
        // Two variables set to the same value: the rotation would not rotate anything.
        let same = try Self.withStripeSecret("      secret: [\"${WHSEC_NEW}\", \"${WHSEC_OLD}\"]")
        let old = Self.position(of: "\"${WHSEC_OLD}", onLineWith: "secret: [", in: same)
        #expect(TestFiles.problems(same, environment: ["WHSEC_NEW": "whsec_x", "WHSEC_OLD": "whsec_x"]) == [
            "\(old): channels.webhooks.stripe.secret[1]: $WHSEC_OLD holds the same secret as the first entry ($WHSEC_NEW): "
                + "a rotation lists different secrets, so set $WHSEC_OLD to the other one or list one",
        ])
    }

    @Test func fourthEntry_isRefused() throws {
        var environment = Self.environment
        environment["WHSEC_OLDER"] = "whsec_older"
        environment["WHSEC_OLDEST"] = "whsec_oldest"
        let text = try Self.withStripeSecret("      secret: [\"${WHSEC_NEW}\", \"${WHSEC_OLD}\", \"${WHSEC_OLDER}\", \"${WHSEC_OLDEST}\"]")
        let at = Self.position(of: "\"${WHSEC_OLDEST}", onLineWith: "secret: [", in: text)
        #expect(TestFiles.problems(text, environment: environment) == [
            "\(at): channels.webhooks.stripe.secret[3]: at most 3 secrets: the new one first, then those still accepted; "
                + "remove the oldest once no webhook is signed with it",
        ])
        let three = try Self.withStripeSecret("      secret: [\"${WHSEC_NEW}\", \"${WHSEC_OLD}\", \"${WHSEC_OLDER}\"]")
        #expect(TestFiles.problems(three, environment: environment) == [])
    }

    @Test func entryThatIsNotText_isRefusedAtIt() throws {
        let text = try Self.withStripeSecret("      secret: [\"${WHSEC_NEW}\", [\"${WHSEC_OLD}\"]]")
        let problems = TestFiles.problems(text, environment: Self.environment)
        let at = Self.position(of: "[\"${WHSEC_OLD}", onLineWith: "secret: [", in: text)
        #expect(problems.count == 1 && problems[0].hasPrefix("\(at): channels.webhooks.stripe.secret[1]: expected text"), "\(problems)")
    }

    /// `{` is a YAML flow indicator: `[${NEW}, ${OLD}]` does not parse, and the error says how to write it.
    @Test func unquotedReferencesInBrackets_getAHint() throws {
        let text = try Self.withStripeSecret("      secret: [${WHSEC_NEW}, ${WHSEC_OLD}]")
        let problems = TestFiles.problems(text, environment: Self.environment)
        try #require(problems.count == 1, "\(problems)")
        // The line of the edited setting, wherever the example file has it.
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("secret: [${WHSEC_NEW}") }.map { $0 + 1 }
        #expect(line != nil && problems[0].hasPrefix("\(line ?? 0):"), "\(problems[0])")
        #expect(problems[0].hasSuffix("; inside [ ] a ${VAR} must be quoted, as [\"${NEW}\", \"${OLD}\"], or write one per line (- ${NEW})"),
                "\(problems[0])")
    }
}
