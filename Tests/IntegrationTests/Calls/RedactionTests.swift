import Glibc
import Integration
import Model
import Native
import Sandbox
import Testing

/// Credentials and card numbers never reach a record, an error or a log line.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct RedactionTests {
    @Test func url_dropsUserInfoAndSecretQueryValues() {
        #expect(Redaction.url("https://user:pw@api.example.com/v1/x?api_key=abc&id=7&token=t") == "https://api.example.com/v1/x?api_key=[redacted]&id=7&token=[redacted]")
        #expect(Redaction.url("https://hooks.slack.com/services/T1/B2/abcdef", pathIsSecret: true) == "https://hooks.slack.com/[redacted]")
        #expect(Redaction.url("http://127.0.0.1:8080/v1/payment_intents/pi_1") == "http://127.0.0.1:8080/v1/payment_intents/pi_1")
    }

    @Test func text_masksCredentialShapesAndCardNumbers() {
        #expect(Redaction.text("Invalid API Key provided: sk_live_51Habc") == "Invalid API Key provided: sk_live_[redacted]")
        #expect(Redaction.text("Authorization: Bearer pat-na1-123abc") == "Authorization: Bearer [redacted]")
        #expect(Redaction.text("card 4242 4242 4242 4242 declined") == "card [card] declined")
        #expect(Redaction.text("card 4000-0000-0000-0002!") == "card [card]!")
        // Not a Luhn number, and phone numbers and dates are short: kept.
        #expect(Redaction.text("order 1234567890123 at +14155550101 on 2026-11-22") == "order 1234567890123 at +14155550101 on 2026-11-22")
        #expect(Redaction.text("the key topsecretvalue leaked", secrets: ["topsecretvalue"]) == "the key [redacted] leaked")
    }

    /// Runs failing and succeeding calls of every adapter with distinctive credentials and a card
    /// number in the payload, with logs going to a file, then greps the log and the records.
    @Test func logsAndRecords_neverContainCredentialsOrCardNumbers() async throws {
        let path = "/tmp/switchboard-redaction-\(getpid()).log"
        let fd = open(path, O_CREAT | O_TRUNC | O_WRONLY | O_APPEND, 0o600)
        #expect(fd >= 0)
        Logger.setDestination(fd: fd)
        Logger.setMinimumLevel(.debug)
        defer {
            Logger.setMinimumLevel(.info)
            Logger.setDestination(fd: 2)
            close(fd)
            unlink(path)
        }
        let secrets = ["sk_test_SECRETstripe0001", "twilioSECRETtoken0002", "pat-na1-SECREThubspot0003", "cal_test_SECRETcal0004",
                       "SECRETslackpath0005", "SECRETsmtppass0006", "SECRETerpkey0007"]
        let card = "4242424242424242"
        let fixture = try SandboxFixture()
        fixture.sandbox.register(WebhookTarget(provider: .twilio, url: "http://127.0.0.1:9/", secret: "another-token", account: SandboxFixture.twilioSID))
        fixture.sandbox.addFault(FaultRule(pathPrefix: "/slack", errorRate: 1, errorStatus: 500))
        let context = fixture.context()
        _ = try? await fixture.stripe(key: secrets[0]).createPaymentIntent(
            PaymentIntentRequest(amount: 100, currency: "usd", description: "card \(card)"), context: context)
        _ = try? await fixture.stripe(key: "sk_test_revoked_\(secrets[0])").retrievePaymentIntent(id: "pi_\(card)", context: context)
        _ = try? await fixture.twilio(token: secrets[1]).sendSMS(SMSMessage(to: "+14155550101", sender: .number("+14155550100"),
                                                                           body: "card \(card)"), context: context)
        _ = try? await fixture.hubspot(token: secrets[2]).updateContact(id: "1", properties: ["note": card], context: context)
        _ = try? await fixture.calcom(key: secrets[3]).cancelBooking(uid: "nope", reason: card, context: context)
        _ = try? await fixture.slack(token: secrets[4]).notify("card \(card)", context: context)
        let smtp = SMTPEmailSender(configuration: .init(url: fixture.sandbox.smtpURL!, security: .requireStartTLS, user: "u", password: secrets[5]),
                                   runtime: fixture.runtime)
        _ = try? await smtp.send(EmailMessage(from: EmailAddress("a@b.example"), to: [EmailAddress("c@d.example")], subject: card, text: card),
                                 context: context)
        let erp = GenericHTTPSystem(configuration: .init(name: "erp", baseURL: fixture.baseURL, authorization: .bearer(secrets[6]), operations: [
            GenericHTTPOperation(name: "x", method: "POST", url: "/nowhere?api_key=\(secrets[6])", body: "{\"card\":\"\(card)\"}"),
        ]), runtime: fixture.runtime)
        _ = try? await erp.call("x", context: context)
        try await fixture.stop()

        let logged = try String(decoding: OpenAPIContract.read(path), as: UTF8.self)
        let recorded = fixture.log.records.map { $0.json.serialized() }.joined(separator: "\n")
        #expect(fixture.log.records.count == 8)
        #expect(logged.contains("provider call failed"))
        for secret in secrets + [card] {
            #expect(!logged.contains(secret), "log contains \(secret)")
            #expect(!recorded.contains(secret), "records contain \(secret)")
        }
        #expect(!logged.contains("Authorization"))
        #expect(!logged.contains("Basic "))
    }
}
