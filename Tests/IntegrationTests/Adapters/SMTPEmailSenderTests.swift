import Integration
import Model
import Native
import Sandbox
import Testing

/// SMTP through libcurl to the sandbox's SMTP server.
@Suite(.timeLimit(.minutes(1)))
struct SMTPEmailSenderTests {
    static func sender(_ fixture: SandboxFixture, security: CurlRequest.Mail.Security = .startTLSIfAvailable) throws -> SMTPEmailSender {
        let url = try #require(fixture.sandbox.smtpURL)
        return SMTPEmailSender(configuration: .init(url: url, security: security, user: "mailer", password: "smtp-secret-pass",
                                                    policy: testPolicy()), runtime: fixture.runtime)
    }

    static let email = EmailMessage(from: EmailAddress("bookings@acme.example", name: "Acme Plumbing"),
                                    to: [EmailAddress("ann@example.com", name: "Ann Lee")], subject: "Your booking is confirmed",
                                    text: "Hi Ann,\n\nSee you Tuesday at 10:00.\n.\nAcme")

    @Test func send_deliversAnRFC5322Message() async throws {
        let fixture = try SandboxFixture()
        let sent = try await Self.sender(fixture).send(Self.email, context: fixture.context("i-1:confirm"))
        #expect(sent.replyCode == 250)
        #expect(sent.messageID.hasSuffix("@acme.example>"))
        let mail = try #require(fixture.sandbox.outbox(kind: "email").first)
        #expect(mail["to"] == ["ann@example.com"])
        #expect(mail["from"]?.stringValue == "bookings@acme.example")
        #expect(mail["subject"]?.stringValue == "Your booking is confirmed")
        // The lone "." line survives dot-stuffing both ways.
        #expect(mail["body"]?.stringValue == "Hi Ann,\n\nSee you Tuesday at 10:00.\n.\nAcme")
        let raw = try #require(mail["raw"]?.stringValue)
        #expect(raw.contains("\r\nMessage-ID: \(sent.messageID)\r\n"))
        #expect(raw.contains("From: \"Acme Plumbing\" <bookings@acme.example>\r\n"))
        #expect(raw.contains("To: \"Ann Lee\" <ann@example.com>\r\n"))
        #expect(raw.contains("MIME-Version: 1.0\r\n"))
        #expect(raw.contains("Content-Type: text/plain; charset=UTF-8\r\n"))
        #expect(raw.hasPrefix("Date: "))
        try await fixture.stop()
    }

    @Test func sameStep_hasTheSameMessageID() async throws {
        let fixture = try SandboxFixture()
        let sender = try Self.sender(fixture)
        let first = try await sender.send(Self.email, context: fixture.context("i-2:confirm"))
        let second = try await sender.send(Self.email, context: fixture.context("i-2:confirm"))
        let other = try await sender.send(Self.email, context: fixture.context("i-3:confirm"))
        #expect(first.messageID == second.messageID)
        #expect(first.messageID != other.messageID)
        try await fixture.stop()
    }

    @Test func unicode_isEncodedAndReadsBack() async throws {
        let fixture = try SandboxFixture()
        var email = Self.email
        email.subject = "Réservation confirmée ✅"
        email.text = "Bonjour Zoë, à mardi 10h00."
        _ = try await Self.sender(fixture).send(email, context: fixture.context())
        let mail = try #require(fixture.sandbox.outbox(kind: "email").first)
        #expect(mail["subject"]?.stringValue == "Réservation confirmée ✅")
        #expect(mail["body"]?.stringValue == "Bonjour Zoë, à mardi 10h00.")
        #expect(mail["raw"]?.stringValue?.contains("Content-Transfer-Encoding: base64") == true)
        try await fixture.stop()
    }

    @Test func requiredSTARTTLS_withoutTLSOnTheServer_failsWithoutSending() async throws {
        let fixture = try SandboxFixture()
        let error = await #expect(throws: ProviderError.self) {
            try await Self.sender(fixture, security: .requireStartTLS).send(Self.email, context: fixture.context())
        }
        #expect(error?.kind == .permanent)
        #expect(error?.mayHaveTakenEffect == false)
        #expect(fixture.sandbox.outbox(kind: "email").isEmpty)
        #expect(!"\(fixture.log.records)".contains("smtp-secret-pass"))
        try await fixture.stop()
    }

    @Test func headerInjection_isImpossible() async throws {
        let fixture = try SandboxFixture()
        var email = Self.email
        email.subject = "Hello\r\nBcc: victim@example.com"
        _ = try await Self.sender(fixture).send(email, context: fixture.context())
        let raw = try #require(fixture.sandbox.outbox(kind: "email").first?["raw"]?.stringValue)
        #expect(!raw.contains("\r\nBcc:"))
        #expect(raw.contains("Subject: HelloBcc: victim@example.com\r\n"))
        try await fixture.stop()
    }
}
