/// How customers reach the tenant and how providers call back.
public struct ChannelsConfig: Sendable, Hashable {
    public var sms: SMSChannel?
    public var email: EmailChannel?
    /// Phone calls through Twilio Voice (`docs/voice.md`).
    public var voice: VoiceChannel?
    /// How the operator is reached besides Slack (`channels.operator`).
    public var operatorChannels: OperatorChannels?
    public var webhooks: [WebhookSource: WebhookConfig]

    public init(sms: SMSChannel? = nil, email: EmailChannel? = nil, voice: VoiceChannel? = nil,
                operatorChannels: OperatorChannels? = nil, webhooks: [WebhookSource: WebhookConfig] = [:]) {
        self.sms = sms
        self.email = email
        self.voice = voice
        self.operatorChannels = operatorChannels
        self.webhooks = webhooks
    }
}

public struct SMSChannel: Sendable, Hashable {
    /// The tenant's Twilio number, E.164: inbound texts arrive on it, outbound texts leave from it.
    public var number: String

    public init(number: String) { self.number = number }
}

public struct EmailChannel: Sendable, Hashable {
    /// `Riverside Physio <hello@riversidephysio.co.uk>`
    public var from: String
    public var replyTo: String?

    public init(from: String, replyTo: String? = nil) {
        self.from = from
        self.replyTo = replyTo
    }
}

/// A provider that posts signed webhooks to `/v1/tenants/{tenant}/webhooks/{source}`.
public enum WebhookSource: String, Sendable, Hashable, CaseIterable, Comparable {
    case twilio, stripe, calcom, generic
    /// Twilio Voice: inbound calls, speech turns and call status callbacks.
    case twilioVoice = "twilio-voice"

    public static func < (lhs: WebhookSource, rhs: WebhookSource) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// How to verify one webhook source.
public struct WebhookConfig: Sendable, Hashable {
    public var source: WebhookSource
    /// Twilio: the account auth token; Stripe: the endpoint's `whsec_…` secret; Cal.com: the
    /// webhook secret; generic: the Standard Webhooks `whsec_<base64>` secret. During a rotation,
    /// the new and the old: a signature made with any of them is accepted.
    public var secrets: SecretSet
    /// Twilio (messages and voice) only: the public URL Twilio posts to, which its signature covers.
    public var publicURL: String?
    /// Stripe and generic: how far a signed timestamp may be from now.
    public var tolerance: Duration

    public init(source: WebhookSource, secrets: SecretSet, publicURL: String? = nil, tolerance: Duration = .seconds(300)) {
        self.source = source
        self.secrets = secrets
        self.publicURL = publicURL
        self.tolerance = tolerance
    }
}
