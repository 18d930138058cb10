import Integration
import Model
import Synchronization

/// The operator's message, on one channel after another (Slack, email, SMS) until one delivers.
///
/// The whole attempt is one effect of the journal: its intent is written before the first
/// channel is tried and its result (which channel delivered, which failed and why) once one
/// has. A re-run after a crash therefore replays the delivery, or finds it in doubt and sends
/// nothing on any channel; only when every channel provably sent nothing may it try again.
extension Messenger {
    /// What became of an operator message.
    struct OperatorNotice {
        /// What was sent (or may have been, when in doubt); nil when every channel failed.
        var message: SentMessageRecord?
        /// The channels that failed, in the order tried, with why.
        var failures: [SentMessageRecord.ChannelFailure]

        /// One reason per failed channel, then the channel that delivered.
        var reasons: [String] {
            var reasons = failures.map { "\($0.channel) failed: \($0.reason)" }
            if let message, !message.inDoubt { reasons.append("delivered by \(message.channel)" + (message.to.map { " to \($0)" } ?? "")) }
            if message?.inDoubt == true { reasons.append("a crash interrupted the send; nothing was sent again on any channel") }
            return reasons
        }
    }

    /// The channels to try: the step's `channel` parameter, else the tenant's operator channels.
    var operatorChannels: [OperatorChannel] {
        if let named = input.parameters["channel"]?.choices { return named.compactMap(OperatorChannel.init(rawValue:)) }
        return input.config.operatorChannels
    }

    /// Sends `text` to the operator on the first channel that delivers. `effect` names the
    /// message within the step.
    func toOperator(_ text: String, subject: String? = nil, effect: String = "operator-message") async -> OperatorNotice {
        let channels = operatorChannels
        guard let first = channels.first else {
            return OperatorNotice(message: nil, failures: [.init(channel: "operator", reason: "no operator channel is configured")])
        }
        let attempts = Attempts()
        let context = input.callContext
        let messenger = self
        do {
            let result = try await input.effects.perform(
                effect, provider: first.provider, operation: "notify", encode: { $0.json }, decode: Delivery.init(json:),
                call: {
                    for channel in channels {
                        do {
                            let (to, id) = try await messenger.send(text, subject: subject, on: channel, context: context)
                            return Delivery(channel: channel.rawValue, to: to, providerID: id, failures: attempts.failures)
                        } catch {
                            attempts.record(channel, error)
                        }
                    }
                    throw attempts.error
                })
            guard let delivery = result.value else {
                return OperatorNotice(message: SentMessageRecord(audience: .operator, channel: "operator", to: nil, text: text,
                                                                 providerID: nil, inDoubt: true), failures: [])
            }
            return OperatorNotice(message: SentMessageRecord(audience: .operator, channel: delivery.channel, to: delivery.to, text: text,
                                                             providerID: delivery.providerID, failedChannels: delivery.failures),
                                  failures: delivery.failures)
        } catch {
            let failures = attempts.failures
            return OperatorNotice(message: nil, failures: failures.isEmpty
                                  ? [.init(channel: "operator", reason: ProviderFailure.describe(error))] : failures)
        }
    }

    /// Sends on one channel; returns the address it went to and the provider's id.
    private func send(_ text: String, subject: String?, on channel: OperatorChannel,
                      context: CallContext) async throws -> (to: String?, id: String?) {
        let config = input.config
        let missing = config.missingSettings(for: channel)
        guard missing.isEmpty else {
            throw Unconfigured(description: "not configured: add " + missing.map(OperatorChannel.describe(setting:)).joined(separator: ", "))
        }
        let reach = config.channels.operatorChannels
        switch channel {
        case .slack:
            guard let notifier = input.providers.operatorNotifier else { throw Unconfigured(description: "no Slack notifier") }
            try await notifier.notify(text, context: context)
            return (nil, nil)
        case .email:
            guard let sender = input.providers.email, let address = reach?.email, let from = config.channels.email else {
                throw Unconfigured(description: "no email sender")
            }
            let to = Self.address(address)
            let firstLine = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? text
            let message = EmailMessage(from: Self.address(from.from), to: [to], replyTo: from.replyTo.map(Self.address),
                                       subject: subject ?? String(firstLine.prefix(78)), text: text)
            return (to.address, try await sender.send(message, context: context).messageID)
        case .sms:
            guard let messaging = input.providers.messaging, let number = reach?.sms, let from = config.channels.sms?.number else {
                throw Unconfigured(description: "no SMS sender")
            }
            return (number, try await messaging.sendSMS(SMSMessage(to: number, sender: .number(from), body: text), context: context).sid)
        }
    }

    /// A channel the tenant has not set up: nothing was sent.
    struct Unconfigured: Error, CustomStringConvertible {
        var description: String
    }

    /// Which channel delivered, as the journal keeps it.
    struct Delivery: Sendable {
        var channel: String
        var to: String?
        var providerID: String?
        var failures: [SentMessageRecord.ChannelFailure]

        init(channel: String, to: String?, providerID: String?, failures: [SentMessageRecord.ChannelFailure]) {
            self.channel = channel
            self.to = to
            self.providerID = providerID
            self.failures = failures
        }

        /// Also reads what earlier versions journaled for a Slack post (`{"posted": true}`).
        init?(json: JSON) {
            guard json.objectValue != nil else { return nil }
            channel = json["channel"]?.stringValue ?? "slack"
            to = json["to"]?.stringValue
            providerID = json["id"]?.stringValue
            failures = (json["failures"]?.arrayValue ?? []).compactMap { failure in
                guard let channel = failure["channel"]?.stringValue, let reason = failure["reason"]?.stringValue else { return nil }
                return SentMessageRecord.ChannelFailure(channel: channel, reason: reason)
            }
        }

        var json: JSON {
            var object: JSONObject = ["channel": .string(channel), "failures": .array(failures.map(\.json))]
            object["to"] = to.map { .string($0) } ?? .null
            object["id"] = providerID.map { .string($0) } ?? .null
            return .object(object)
        }
    }

    /// The failed channels of one attempt, kept across the journal's `@Sendable` call.
    final class Attempts: Sendable {
        private let state = Mutex<(failures: [SentMessageRecord.ChannelFailure], mayHaveSent: Bool, last: ProviderError.Kind?)>(([], false, nil))

        var failures: [SentMessageRecord.ChannelFailure] { state.withLock { $0.failures } }

        func record(_ channel: OperatorChannel, _ error: any Error) {
            let reason = (error as? Unconfigured)?.description ?? ProviderFailure.describe(error)
            // Only an unconfigured channel or a provider's provable refusal sent nothing.
            let mayHaveSent = error is Unconfigured ? false : ((error as? ProviderError)?.mayHaveTakenEffect ?? true)
            state.withLock {
                $0.failures.append(.init(channel: channel.rawValue, reason: reason))
                $0.mayHaveSent = $0.mayHaveSent || mayHaveSent
                if let kind = (error as? ProviderError)?.kind { $0.last = kind }
            }
        }

        /// Every channel failed: one error saying so. The journal may let a re-run try again only
        /// when none of them may have sent anything.
        var error: ProviderError {
            state.withLock { state in
                ProviderError(kind: state.last ?? .permanent, provider: "operator", operation: "notify",
                              message: state.failures.map { "\($0.channel): \($0.reason)" }.joined(separator: "; "),
                              mayHaveTakenEffect: state.mayHaveSent)
            }
        }
    }
}

extension OperatorChannel {
    /// The provider name the journal records for a message sent on this channel.
    var provider: String {
        switch self {
        case .slack: return "slack"
        case .email: return "smtp"
        case .sms: return "twilio"
        }
    }
}
