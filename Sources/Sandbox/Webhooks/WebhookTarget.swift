import Model

/// Where the sandbox sends a provider's webhooks, and the secret it signs them with.
public struct WebhookTarget: Sendable, Equatable {
    public enum Provider: String, Sendable, CaseIterable {
        case stripe, calcom, twilio
        /// Twilio Voice: calls the sandbox plays (`POST /sandbox/voice/calls`).
        case twilioVoice = "twilio-voice"
    }

    public var provider: Provider
    /// Switchboard's endpoint, such as `http://127.0.0.1:8080/v1/tenants/acme/webhooks/stripe`.
    public var url: String
    /// Stripe: the endpoint secret (`whsec_…`); Cal.com: the webhook secret; Twilio: the account's auth token.
    public var secret: String
    /// The account this target belongs to (Stripe secret key, Cal.com API key, Twilio Account SID);
    /// nil receives the events of every account without a target of its own.
    public var account: String?
    /// Twilio: the tenant's phone number that inbound texts (or calls, for twilio-voice) are sent to.
    public var number: String?

    public init(provider: Provider, url: String, secret: String, account: String? = nil, number: String? = nil) {
        self.provider = provider
        self.url = url
        self.secret = secret
        self.account = account
        self.number = number
    }

    /// Reads `{"provider","url","secret","account","number"}`.
    public init(json: JSON) throws(SandboxError) {
        guard let name = json["provider"]?.stringValue, let provider = Provider(rawValue: name) else {
            throw SandboxError.badRequest("provider must be one of stripe, calcom, twilio, twilio-voice")
        }
        guard let url = json["url"]?.stringValue, url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw SandboxError.badRequest("url must be an http(s) URL")
        }
        guard let secret = json["secret"]?.stringValue, !secret.isEmpty else {
            throw SandboxError.badRequest("secret is required (the key the webhooks are signed with)")
        }
        self.init(provider: provider, url: url, secret: secret, account: json["account"]?.stringValue, number: json["number"]?.stringValue)
    }

    /// The target without its secret, for listings.
    var publicJSON: JSON {
        var object: JSONObject = ["provider": .string(provider.rawValue), "url": .string(url)]
        object["account"] = account.map { .string($0) } ?? .null
        object["number"] = number.map { .string($0) } ?? .null
        return .object(object)
    }
}
