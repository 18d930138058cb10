import Model

/// `OperatorNotifier` over a Slack incoming webhook: `POST <webhook URL>` with `{"text":…}`,
/// answered `200 ok`. The URL is the credential: records and logs keep only its host.
public struct SlackNotifier: OperatorNotifier {
    public struct Configuration: Sendable {
        /// `https://hooks.slack.com/services/T…/B…/<secret>`, or the sandbox's `<base>/slack/services/…`.
        public var webhookURL: String
        public var name: String
        public var policy: ResiliencePolicy
        public var caFile: String?

        public init(webhookURL: String, name: String = "slack", policy: ResiliencePolicy = .slack, caFile: String? = nil) {
            self.webhookURL = webhookURL
            self.name = name
            self.policy = policy
            self.caFile = caFile
        }
    }

    public let configuration: Configuration
    let runtime: IntegrationRuntime

    public init(configuration: Configuration, runtime: IntegrationRuntime) {
        self.configuration = configuration
        self.runtime = runtime
    }

    public func notify(_ text: String, context: CallContext) async throws {
        var request = HTTPClient.Request(method: "POST", url: configuration.webhookURL, caFile: configuration.caFile)
        request.setJSON(["text": .string(Self.escape(text))])
        let operation = ProviderOperation(provider: "slack", integration: configuration.name, name: "notify", safety: .unsafe,
                                          policy: configuration.policy, secrets: [configuration.webhookURL], pathIsSecret: true,
                                          idempotencyKey: context.idempotencyKey(for: "slack.notify"))
        try await runtime.perform(operation, request, context: context) { response -> Result<Void, ProviderError> in
            guard response.isSuccess else { return .failure(Self.error(response)) }
            return .success(())
        }
    }

    /// > Escape `&`, `<`, `>` as `&amp;`, `&lt;`, `&gt;` (Slack's mrkdwn control characters).
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }

    /// Errors are short text codes (`invalid_payload`, `no_service`, `channel_is_archived`).
    static func error(_ response: HTTPClient.Response) -> ProviderError {
        let code = response.bodyText.count <= 64 ? response.bodyText : nil
        // A revoked or disabled webhook is a credential problem the operator must fix.
        let kind: ProviderError.Kind? = code == "no_service" ? .authFailure : (response.status == 404 || response.status == 410 ? .permanent : nil)
        return ProviderAnswer.error(response, provider: "slack", operation: "notify", code: code, message: code, kind: kind)
    }
}
