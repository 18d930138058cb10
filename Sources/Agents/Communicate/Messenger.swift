import Integration
import Model
import Native

/// Sends customer and operator messages exactly once per step (through the effect journal) and
/// describes what was sent for the trace.
struct Messenger {
    let input: StepInput

    enum Channel: String { case sms, email }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The channel to reach the customer on: the step's `channel` parameter, else the one the
    /// interaction came in on when it is a messaging channel, else SMS when there is a phone.
    func customerChannel() -> Channel {
        if let named = input.parameters["channel"]?.text, let channel = Channel(rawValue: named) { return channel }
        if input.interaction.channel == .email { return .email }
        if customerPhone == nil, customerEmail != nil { return .email }
        return .sms
    }

    var customerPhone: String? { input.string("customer.phone") ?? input.interaction.from.phone }
    var customerEmail: String? { input.string("customer.email") ?? input.interaction.from.email }

    /// Texts or emails the customer. `effect` names the message within the step.
    func toCustomer(_ text: String, subject: String?, effect: String = "customer-message") async -> Result<SentMessageRecord, Failure> {
        switch customerChannel() {
        case .sms:
            guard let messaging = input.providers.messaging else { return .failure(Failure(description: "no messaging integration")) }
            guard let to = customerPhone else { return .failure(Failure(description: "the customer has no phone number")) }
            guard let from = input.config.channels.sms?.number else { return .failure(Failure(description: "channels.sms.number is not set")) }
            let context = input.callContext
            // After a crash or a lost answer: the texts Twilio lists for the number, matched by
            // a digest of the body (the journal keeps no customer's words in its hints).
            let digest = Hex.encode(Crypto.sha256(text))
            let lookup = EffectLookup<String>(hints: ["to": .string(to), "body_sha256": .string(digest)]) { hints in
                let since = (hints["intended_at"]?.intValue ?? input.interaction.receivedAt) - 300_000
                let listed = try await messaging.sentMessages(to: to, sender: .number(from), since: since, context: context)
                return listed.first { Hex.encode(Crypto.sha256($0.body)) == digest }?.sid
            }
            do {
                let result = try await input.effects.perform(
                    effect, provider: "twilio", operation: "sendSMS", lookup: lookup,
                    encode: { JSON.string($0) }, decode: { $0.stringValue },
                    call: { try await messaging.sendSMS(SMSMessage(to: to, sender: .number(from), body: text), context: context).sid })
                return .success(SentMessageRecord(audience: .customer, channel: "sms", to: to, text: text,
                                                  providerID: result.value, inDoubt: result.value == nil))
            } catch {
                return .failure(Failure(description: ProviderFailure.describe(error)))
            }
        case .email:
            guard let sender = input.providers.email else { return .failure(Failure(description: "no email integration")) }
            guard let to = customerEmail else { return .failure(Failure(description: "the customer has no email address")) }
            guard let channel = input.config.channels.email else { return .failure(Failure(description: "channels.email is not set")) }
            let from = Self.address(channel.from)
            let message = EmailMessage(from: from, to: [EmailAddress(to, name: input.string("customer.name"))],
                                       replyTo: channel.replyTo.map(Self.address),
                                       subject: subject ?? input.config.identity.name, text: text)
            let context = input.callContext
            do {
                let result = try await input.effects.perform(
                    effect, provider: "smtp", operation: "send",
                    encode: { JSON.string($0) }, decode: { $0.stringValue },
                    call: { try await sender.send(message, context: context).messageID })
                return .success(SentMessageRecord(audience: .customer, channel: "email", to: to, text: text,
                                                  providerID: result.value, inDoubt: result.value == nil))
            } catch {
                return .failure(Failure(description: ProviderFailure.describe(error)))
            }
        }
    }

    /// `Name <address>` or a bare address.
    static func address(_ text: String) -> EmailAddress {
        guard let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close else {
            return EmailAddress(text.trimmingSpaces)
        }
        let name = String(text[..<open]).trimmingSpaces
        return EmailAddress(String(text[text.index(after: open)..<close]), name: name.isEmpty ? nil : name)
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
