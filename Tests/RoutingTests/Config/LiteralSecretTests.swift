import Testing
@testable import Routing

/// Credentials and webhook secrets come from the environment: each field written as a literal
/// is refused where it is written, saying which variable to use instead.
struct LiteralSecretTests {
    static let acme = TestFiles.text(TestFiles.tenants + "/acme-plumbing.yaml")
    static let riverside = TestFiles.text(TestFiles.tenants + "/riverside-physio.yaml")

    /// (file, the line as it is, the same line with a literal, the setting's path, the suggested variable)
    static let cases: [(String, String, String, String, String)] = [
        ("acme", "    twilio:\n      secret: ${ACME_TWILIO_AUTH_TOKEN:-sandbox-twilio-token-acme}",
         "    twilio:\n      secret: 0123456789abcdef", "channels.webhooks.twilio.secret", "TWILIO_WEBHOOK_SECRET"),
        ("acme", "    twilio-voice:\n      secret: ${ACME_TWILIO_AUTH_TOKEN:-sandbox-twilio-token-acme}",
         "    twilio-voice:\n      secret: 0123456789abcdef", "channels.webhooks.twilio-voice.secret", "TWILIO_VOICE_WEBHOOK_SECRET"),
        ("acme", "      secret: ${ACME_STRIPE_WEBHOOK_SECRET:-whsec_sandbox_acme}", "      secret: whsec_live",
         "channels.webhooks.stripe.secret", "STRIPE_WEBHOOK_SECRET"),
        ("acme", "      secret: ${ACME_CALCOM_WEBHOOK_SECRET:-sandbox-calcom-secret-acme}", "      secret: calsecret",
         "channels.webhooks.calcom.secret", "CALCOM_WEBHOOK_SECRET"),
        ("acme", "    calcom:\n      secret: ${ACME_CALCOM_WEBHOOK_SECRET:-sandbox-calcom-secret-acme}\n",
         "    calcom:\n      secret: ${ACME_CALCOM_WEBHOOK_SECRET:-sandbox-calcom-secret-acme}\n    generic:\n      secret: whsec_c2VjcmV0\n",
         "channels.webhooks.generic.secret", "GENERIC_WEBHOOK_SECRET"),
        ("acme", "      access_token: ${ACME_HUBSPOT_TOKEN:-pat-sandbox-acme}", "      access_token: pat-na1-live",
         "integrations.crm.credentials.access_token", "CRM_ACCESS_TOKEN"),
        ("acme", "      secret_key: ${ACME_STRIPE_SECRET_KEY:-sk_test_sandbox_acme}", "      secret_key: sk_live_123",
         "integrations.payments.credentials.secret_key", "PAYMENTS_SECRET_KEY"),
        ("acme", "      api_key: ${ACME_CALCOM_API_KEY:-cal_sandbox_acme}", "      api_key: cal_live_123",
         "integrations.scheduling.credentials.api_key", "SCHEDULING_API_KEY"),
        ("acme", "      auth_token: ${ACME_TWILIO_AUTH_TOKEN:-sandbox-twilio-token-acme}", "      auth_token: 0123456789abcdef",
         "integrations.messaging.credentials.auth_token", "MESSAGING_AUTH_TOKEN"),
        ("acme", "      webhook_path: ${ACME_SLACK_WEBHOOK_PATH:-/services/T0ACME/B0DISPATCH/sandbox}", "      webhook_path: /services/T1/B2/c3",
         "integrations.operator.credentials.webhook_path", "OPERATOR_WEBHOOK_PATH"),
        ("riverside", "      password: ${RIVERSIDE_SMTP_PASSWORD:-sandbox}", "      password: hunter2",
         "integrations.email.credentials.password", "EMAIL_PASSWORD"),
        ("acme", "integrations:\n", "integrations:\n  systems:\n    parts:\n      base_url: https://parts.example.com\n"
            + "      credentials:\n        token: parts-live\n      operations:\n        stock: { method: GET, path: /stock }\n",
         "integrations.systems.parts.credentials.token", "PARTS_TOKEN"),
    ]

    @Test(arguments: 0..<cases.count)
    func literalSecret_isRefusedWhereItIsWritten(_ index: Int) throws {
        let (file, original, literal, path, variable) = Self.cases[index]
        let text = (file == "acme" ? Self.acme : Self.riverside)
        let edited = text.replacingFirst(original, with: literal)
        try #require(edited != text, "the example no longer has \(original.debugDescription)")
        let problems = TestFiles.problems(edited, environment: [:])
        try #require(problems.count == 1, "\(problems)")
        #expect(problems[0].contains(": \(path): a secret written into the file: set it in the environment and write ${\(variable)} here"),
                "\(problems[0])")
        // Placed at the literal: the line the edit wrote it on.
        let field = String(path.split(separator: ".").last ?? "")
        let before = Set(original.split(separator: "\n").map(String.init))
        let written = literal.split(separator: "\n").map(String.init).first { $0.contains("\(field): ") && !before.contains($0) }
        let line = edited.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { String($0) == written }
        #expect(problems[0].hasPrefix("\((line ?? -1) + 1):"), "\(problems[0])")
    }

    @Test func identifiers_mayBeWrittenOut() {
        let sid = Self.acme.replacingFirst("${ACME_TWILIO_ACCOUNT_SID:-AC0000000000000000000000000000ac01}", with: "AC0000000000000000000000000000ac01")
        #expect(TestFiles.problems(sid, environment: [:]) == [])
        let user = Self.riverside.replacingFirst("${RIVERSIDE_SMTP_USER:-appointments}", with: "appointments")
        #expect(TestFiles.problems(user, environment: [:]) == [])
    }
}
