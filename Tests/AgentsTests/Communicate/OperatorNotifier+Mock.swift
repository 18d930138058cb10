import Integration
import Model
import Synchronization
@testable import Agents

/// Operator channels that count what they send; Slack and SMS fail when told to.
final class OperatorProviders: OperatorNotifier, EmailSender, MessagingProvider, Sendable {
    let sent = Mutex<[String]>([])
    let slackFailure: ProviderError?
    let smsFailure: ProviderError?

    init(slackFailure: ProviderError? = nil, smsFailure: ProviderError? = nil) {
        self.slackFailure = slackFailure
        self.smsFailure = smsFailure
    }

    static let slackDown = ProviderError(kind: .retryable, provider: "slack", operation: "notify", status: 500, message: "internal error")
    static let smsRefused = ProviderError(kind: .rateLimited, provider: "twilio", operation: "sendSMS", status: 429, message: "Too Many Requests",
                                          mayHaveTakenEffect: false)

    var channels: [String] { sent.withLock { $0 } }

    func notify(_ text: String, context: CallContext) async throws {
        if let slackFailure { throw slackFailure }
        sent.withLock { $0.append("slack") }
    }

    func send(_ email: EmailMessage, context: CallContext) async throws -> SentEmail {
        sent.withLock { $0.append("email:" + email.to.map(\.address).joined()) }
        return SentEmail(messageID: "<\(context.idempotencyKey)@test>", replyCode: 250)
    }

    func sendSMS(_ message: SMSMessage, context: CallContext) async throws -> SentMessage {
        if let smsFailure { throw smsFailure }
        sent.withLock { $0.append("sms:" + message.to) }
        return SentMessage(sid: "SM1", status: "queued")
    }

    var tenantProviders: TenantProviders {
        TenantProviders(messaging: self, operatorNotifier: self, email: self)
    }
}
