/// Texts customers (Twilio).
///
/// Sending is not idempotent at the provider: a call is retried only when the provider provably
/// did not process it. The engine journals the intent before calling.
public protocol MessagingProvider: Sendable {
    func sendSMS(_ message: SMSMessage, context: CallContext) async throws -> SentMessage
    /// Messages sent to `to` (from `sender` when it is a number), created since `since` (Unix
    /// ms), newest first: for a text a crash or a lost answer left in doubt.
    func sentMessages(to: String, sender: SMSMessage.Sender, since: Int64, context: CallContext) async throws -> [ListedMessage]
}

extension MessagingProvider {
    /// A provider whose messages cannot be listed: the lookup fails, and the text stays in doubt.
    public func sentMessages(to: String, sender: SMSMessage.Sender, since: Int64, context: CallContext) async throws -> [ListedMessage] {
        throw ProviderError(kind: .permanent, provider: "messaging", operation: "listMessages",
                            message: "this messaging provider cannot list what it sent", mayHaveTakenEffect: false)
    }
}

/// A message as the provider's list shows it.
public struct ListedMessage: Sendable, Equatable {
    public var sid: String
    public var status: String
    public var body: String
    /// Unix seconds.
    public var createdAt: Int64

    public init(sid: String, status: String, body: String, createdAt: Int64) {
        self.sid = sid
        self.status = status
        self.body = body
        self.createdAt = createdAt
    }
}

public struct SMSMessage: Sendable, Equatable {
    public enum Sender: Sendable, Equatable {
        /// A phone number in E.164 (`+14155550100`).
        case number(String)
        /// A Messaging Service SID (`MG…`), which picks the number.
        case messagingService(String)
    }

    /// E.164.
    public var to: String
    public var sender: Sender
    public var body: String
    /// Where the provider posts delivery status updates.
    public var statusCallback: String?

    public init(to: String, sender: Sender, body: String, statusCallback: String? = nil) {
        self.to = to
        self.sender = sender
        self.body = body
        self.statusCallback = statusCallback
    }
}

public struct SentMessage: Sendable, Equatable {
    /// `SM…`.
    public var sid: String
    /// `queued`, `accepted`, `sent`, ...
    public var status: String

    public init(sid: String, status: String) {
        self.sid = sid
        self.status = status
    }
}
