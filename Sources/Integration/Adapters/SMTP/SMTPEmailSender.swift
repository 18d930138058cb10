import Model
import Native

/// `EmailSender` over SMTP through libcurl: `smtp://host:587` with STARTTLS, or `smtps://host:465`
/// with TLS from the start; optional AUTH login. The `Message-ID` derives from the call's
/// idempotency key, so a receiver that de-duplicates sees one message for one step.
public struct SMTPEmailSender: EmailSender {
    public struct Configuration: Sendable {
        /// `smtp://relay.example.com:587` or `smtps://relay.example.com:465`.
        public var url: String
        public var security: CurlRequest.Mail.Security
        public var user: String?
        public var password: String?
        /// The right-hand side of generated Message-IDs; nil uses the sender's domain.
        public var messageIDDomain: String?
        public var name: String
        public var policy: ResiliencePolicy
        public var caFile: String?

        public init(url: String, security: CurlRequest.Mail.Security = .requireStartTLS, user: String? = nil, password: String? = nil,
                    messageIDDomain: String? = nil, name: String = "smtp", policy: ResiliencePolicy = .smtp, caFile: String? = nil) {
            self.url = url
            self.security = security
            self.user = user
            self.password = password
            self.messageIDDomain = messageIDDomain
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

    public func send(_ email: EmailMessage, context: CallContext) async throws -> SentEmail {
        let key = context.idempotencyKey(for: "smtp.send")
        let domain = configuration.messageIDDomain ?? email.from.address.split(separator: "@").last.map(String.init) ?? "switchboard.local"
        let messageID = "<\(Hex.encode(Crypto.sha256(key).prefix(16)))@\(domain)>"
        let message = MailComposer.compose(email, messageID: messageID, unixSeconds: Clock.unixSeconds())
        var request = CurlRequest(method: "", url: configuration.url, body: message, caFile: configuration.caFile)
        request.mail = CurlRequest.Mail(from: email.from.address, recipients: email.to.map(\.address), security: configuration.security)
        if let user = configuration.user {
            request.login = CurlRequest.Login(user: user, password: configuration.password ?? "")
        }
        let operation = ProviderOperation(provider: "smtp", integration: configuration.name, name: "send", safety: .unsafe,
                                          policy: configuration.policy, secrets: [configuration.password].compactMap { $0 },
                                          idempotencyKey: key)
        let client = runtime.client
        let submission = request
        return try await runtime.execute(operation, method: "SMTP", url: configuration.url, context: context) { timeout, connectTimeout in
            var attempt = submission
            attempt.timeoutMillis = Int(timeout * 1000)
            attempt.connectTimeoutMillis = Int(min(timeout, connectTimeout) * 1000)
            let response = try await client.sendMail(attempt)
            guard (200..<300).contains(response.status) else {
                // 4xx replies are temporary (RFC 5321 §4.2.1), 5xx permanent.
                let kind: ProviderError.Kind = (400..<500).contains(response.status) ? .retryable : .permanent
                return (response.status, .failure(ProviderError(kind: kind, provider: "smtp", operation: "send", status: response.status,
                                                                 message: "the relay answered \(response.status)")))
            }
            return (response.status, .success(SentEmail(messageID: messageID, replyCode: response.status)))
        }
    }
}
