import Model

/// `MessagingProvider` over Twilio's Messages resource: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`,
/// form-encoded, HTTP Basic with the Account SID and auth token, 201 with the Message.
///
/// Twilio has no idempotency key, so a send is retried only when Twilio provably did not process
/// it: the connection failed before any byte went out, or it answered 429 (error 20429, which
/// Twilio documents as never processed).
public struct TwilioMessaging: MessagingProvider {
    public struct Configuration: Sendable {
        /// `https://api.twilio.com`, or the sandbox's `<base>/twilio`.
        public var baseURL: String
        /// `AC` + 32 hex digits.
        public var accountSID: String
        public var authToken: String
        public var name: String
        public var policy: ResiliencePolicy
        public var caFile: String?

        public init(baseURL: String, accountSID: String, authToken: String, name: String = "twilio",
                    policy: ResiliencePolicy = .twilio, caFile: String? = nil) {
            self.baseURL = baseURL
            self.accountSID = accountSID
            self.authToken = authToken
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

    public func sendSMS(_ message: SMSMessage, context: CallContext) async throws -> SentMessage {
        var form = FormBody()
        form.append("To", message.to)
        switch message.sender {
        case .number(let number): form.append("From", number)
        case .messagingService(let sid): form.append("MessagingServiceSid", sid)
        }
        form.append("Body", message.body)
        form.append("StatusCallback", ifPresent: message.statusCallback)
        let path = "/2010-04-01/Accounts/\(FormBody.percentEncode(configuration.accountSID))/Messages.json"
        var request = HTTPClient.Request(method: "POST", url: ProviderAnswer.join(configuration.baseURL, path), caFile: configuration.caFile)
        request.setForm(form)
        request.authorize(.basic(user: configuration.accountSID, password: configuration.authToken))
        let operation = ProviderOperation(provider: "twilio", integration: configuration.name, name: "sendSMS", safety: .unsafe,
                                          policy: configuration.policy, secrets: [configuration.authToken],
                                          idempotencyKey: context.idempotencyKey(for: "twilio.sendSMS"))
        return try await runtime.perform(operation, request, context: context) { response in
            Self.interpret(response)
        }
    }

    /// `GET …/Messages.json?To=…&From=…&PageSize=50`, newest first, following `next_page_uri`
    /// (at most 5 pages) until the messages are older than `since`. Not filtered by `DateSent`:
    /// a message still queued has none yet.
    public func sentMessages(to: String, sender: SMSMessage.Sender, since: Int64, context: CallContext) async throws -> [ListedMessage] {
        var query = [("To", to), ("PageSize", "50")]
        if case .number(let number) = sender { query.append(("From", number)) }
        var path: String? = "/2010-04-01/Accounts/\(FormBody.percentEncode(configuration.accountSID))/Messages.json?"
            + query.map { "\($0.0)=\(FormBody.percentEncode($0.1))" }.joined(separator: "&")
        var found: [ListedMessage] = []
        var pages = 0
        while let next = path, pages < 5 {
            pages += 1
            var request = HTTPClient.Request(method: "GET", url: ProviderAnswer.join(configuration.baseURL, next), caFile: configuration.caFile)
            request.authorize(.basic(user: configuration.accountSID, password: configuration.authToken))
            let operation = ProviderOperation(provider: "twilio", integration: configuration.name, name: "listMessages", safety: .idempotent,
                                              policy: configuration.policy, secrets: [configuration.authToken], idempotencyKey: nil)
            let page: (messages: [ListedMessage], next: String?) = try await runtime.perform(operation, request, context: context) { response in
                guard response.isSuccess else {
                    return .failure(ProviderAnswer.error(response, provider: "twilio", operation: "listMessages",
                                                         code: response.json?["code"]?.intValue.map { String($0) },
                                                         message: response.json?["message"]?.stringValue))
                }
                guard let items = response.json?["messages"]?.arrayValue else {
                    return .failure(ProviderAnswer.malformed(response, provider: "twilio", operation: "listMessages", expected: "messages"))
                }
                let messages = items.compactMap { item -> ListedMessage? in
                    guard let sid = item["sid"]?.stringValue, let created = item["date_created"]?.stringValue.flatMap(ProviderAnswer.parseRFC2822)
                    else { return nil }
                    return ListedMessage(sid: sid, status: item["status"]?.stringValue ?? "", body: item["body"]?.stringValue ?? "",
                                         createdAt: created)
                }
                return .success((messages, response.json?["next_page_uri"]?.stringValue))
            }
            found += page.messages.filter { $0.createdAt * 1000 >= since }
            // Newest first: once a page reaches back past `since`, older pages cannot match.
            path = page.messages.contains { $0.createdAt * 1000 < since } ? nil : page.next
        }
        return found
    }

    /// 201 with the Message; errors are `{"code":21211,"message","more_info","status"}`.
    static func interpret(_ response: HTTPClient.Response) -> Result<SentMessage, ProviderError> {
        guard response.isSuccess else {
            let body = response.json
            let code = body?["code"]?.intValue.map { String($0) }
            return .failure(ProviderAnswer.error(response, provider: "twilio", operation: "sendSMS", code: code,
                                                 message: body?["message"]?.stringValue))
        }
        guard let json = response.json, let sid = json["sid"]?.stringValue else {
            return .failure(ProviderAnswer.malformed(response, provider: "twilio", operation: "sendSMS", expected: "message sid"))
        }
        return .success(SentMessage(sid: sid, status: json["status"]?.stringValue ?? "queued"))
    }
}
