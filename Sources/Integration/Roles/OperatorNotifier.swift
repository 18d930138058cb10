/// Tells the tenant's staff (a Slack channel through an incoming webhook).
public protocol OperatorNotifier: Sendable {
    /// Posts `text`; `&`, `<` and `>` are escaped, so it shows literally.
    func notify(_ text: String, context: CallContext) async throws
}

/// Sends email (SMTP through libcurl).
public protocol EmailSender: Sendable {
    func send(_ email: EmailMessage, context: CallContext) async throws -> SentEmail
}

public struct EmailAddress: Sendable, Equatable {
    public var address: String
    public var name: String?

    public init(_ address: String, name: String? = nil) {
        self.address = address
        self.name = name
    }
}

public struct EmailMessage: Sendable, Equatable {
    public var from: EmailAddress
    public var to: [EmailAddress]
    public var replyTo: EmailAddress?
    public var subject: String
    /// Plain UTF-8 text; line breaks may be `\n` or `\r\n`.
    public var text: String

    public init(from: EmailAddress, to: [EmailAddress], replyTo: EmailAddress? = nil, subject: String, text: String) {
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.text = text
    }
}

public struct SentEmail: Sendable, Equatable {
    /// The `Message-ID` written into the message, derived from the idempotency key.
    public var messageID: String
    /// The relay's last reply code (250).
    public var replyCode: Int

    public init(messageID: String, replyCode: Int) {
        self.messageID = messageID
        self.replyCode = replyCode
    }
}
