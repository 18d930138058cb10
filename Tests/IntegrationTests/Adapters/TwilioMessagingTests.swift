import Integration
import Model
import Native
import Sandbox
import Testing

/// Twilio adapter against the sandbox over real HTTP.
@Suite(.timeLimit(.minutes(1)))
struct TwilioMessagingTests {
    static let message = SMSMessage(to: "+14155550101", sender: .number("+14155550100"), body: "Booked: Tue 10:00. Deposit: https://pay.example/x")

    @Test func sendSMS_isCreatedAndShowsInTheOutbox() async throws {
        let fixture = try SandboxFixture()
        let sent = try await fixture.twilio().sendSMS(Self.message, context: fixture.context())
        #expect(sent.sid.hasPrefix("SM") && sent.sid.count == 34)
        #expect(sent.status == "queued")
        let outbox = fixture.sandbox.outbox(kind: "sms", to: "+14155550101")
        #expect(outbox.count == 1)
        #expect(outbox.first?["body"]?.stringValue == Self.message.body)
        #expect(outbox.first?["from"]?.stringValue == "+14155550100")
        try await fixture.stop()
    }

    @Test func messagingServiceSender_isAccepted() async throws {
        let fixture = try SandboxFixture()
        var message = Self.message
        message.sender = .messagingService("MG0123456789abcdef0123456789abcdef")
        let sent = try await fixture.twilio().sendSMS(message, context: fixture.context())
        #expect(sent.status == "accepted")
        try await fixture.stop()
    }

    @Test func invalidNumber_isPermanentWithTwiliosCode() async throws {
        let fixture = try SandboxFixture()
        var message = Self.message
        message.to = "555-0101"
        let error = await #expect(throws: ProviderError.self) { try await fixture.twilio().sendSMS(message, context: fixture.context()) }
        #expect(error?.kind == .permanent)
        #expect(error?.code == "21211")
        try await fixture.stop()
    }

    @Test func wrongToken_isAnAuthFailure() async throws {
        let fixture = try SandboxFixture()
        fixture.sandbox.register(WebhookTarget(provider: .twilio, url: "http://127.0.0.1:9/sms", secret: SandboxFixture.twilioToken,
                                               account: SandboxFixture.twilioSID))
        let error = await #expect(throws: ProviderError.self) {
            try await fixture.twilio(token: "not-the-token").sendSMS(Self.message, context: fixture.context())
        }
        #expect(error?.kind == .authFailure)
        #expect(error?.code == "20003")
        try await fixture.stop()
    }

    @Test func serverError_isNotRetriedBecauseTheTextMayHaveGoneOut() async throws {
        let fixture = try SandboxFixture()
        fixture.sandbox.addFault(FaultRule(method: "POST", pathPrefix: "/twilio", errorRate: 1, errorStatus: 500, times: 1))
        let error = await #expect(throws: ProviderError.self) {
            try await fixture.twilio(policy: testPolicy()).sendSMS(Self.message, context: fixture.context())
        }
        #expect(error?.kind == .retryable)
        #expect(error?.mayHaveTakenEffect == true)
        #expect(fixture.log.records.last?.attempts == 1)
        #expect(fixture.sandbox.requestCounts["POST /twilio/2010-04-01/Accounts/{AccountSid}/Messages.json"] == 1)
        try await fixture.stop()
    }

    @Test func rateLimited_isRetriedBecauseTwilioNeverProcessesA429() async throws {
        let fixture = try SandboxFixture()
        fixture.sandbox.addFault(FaultRule(method: "POST", pathPrefix: "/twilio", rateLimitRate: 1, retryAfterSeconds: 1, times: 1))
        let started = Clock.monotonicNanos()
        let sent = try await fixture.twilio(policy: testPolicy()).sendSMS(Self.message, context: fixture.context())
        let waited = Double(Clock.monotonicNanos() - started) / 1e9
        #expect(sent.sid.hasPrefix("SM"))
        #expect(fixture.log.records.last?.attempts == 2)
        // Retry-After: 1 was honoured.
        #expect(waited >= 0.95)
        #expect(fixture.sandbox.outbox(kind: "sms").count == 1)
        try await fixture.stop()
    }
}
