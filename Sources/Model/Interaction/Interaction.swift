/// One piece of work that came in: an API request, an inbound SMS, a payment or calendar webhook,
/// normalised so every channel looks the same to routing and the engine.
public struct Interaction: Sendable, Equatable {
    public var id: InteractionID
    public var tenant: String
    public var channel: Channel
    /// Unix milliseconds when Switchboard received it.
    public var receivedAt: Int64
    public var from: Party
    /// What the customer said or asked, for channels that carry text.
    public var text: String?
    /// A service id the caller named explicitly (API requests).
    public var service: String?
    /// Free-form fields from the API caller.
    public var fields: JSONObject
    /// For webhooks: the provider's event.
    public var event: Event?
    /// The caller's `Idempotency-Key`, or the provider's event id for webhooks.
    public var idempotencyKey: String?
    /// For API requests: the name of the key that made it (`website`). An `api` key reads back
    /// only the interactions it submitted.
    public var submittedBy: String?
    /// The `X-Request-Id` of the HTTP request that brought it (the caller's or one the server
    /// minted), as the access log recorded it.
    public var requestID: String?

    public init(id: InteractionID, tenant: String, channel: Channel, receivedAt: Int64, from: Party = Party(),
                text: String? = nil, service: String? = nil, fields: JSONObject = [:], event: Event? = nil,
                idempotencyKey: String? = nil, submittedBy: String? = nil, requestID: String? = nil) {
        self.id = id
        self.tenant = tenant
        self.channel = channel
        self.receivedAt = receivedAt
        self.from = from
        self.text = text
        self.service = service
        self.fields = fields
        self.event = event
        self.idempotencyKey = idempotencyKey
        self.submittedBy = submittedBy
        self.requestID = requestID
    }

    /// Who the interaction is from: a customer's contact details as the channel gave them.
    public struct Party: Sendable, Equatable {
        public var phone: String?
        public var email: String?
        public var name: String?

        public init(phone: String? = nil, email: String? = nil, name: String? = nil) {
            self.phone = phone
            self.email = email
            self.name = name
        }

        /// The key that identifies the customer for conversations: phone first, then email.
        public var customerKey: String? { phone ?? email?.lowercased() }
    }

    /// A provider's webhook event: its type (`payment_intent.succeeded`, `BOOKING_CANCELLED`), id
    /// and the fields the normaliser extracted.
    public struct Event: Sendable, Equatable {
        public var source: String
        public var type: String
        public var id: String
        public var payload: JSON

        public init(source: String, type: String, id: String, payload: JSON) {
            self.source = source
            self.type = type
            self.id = id
            self.payload = payload
        }
    }
}

/// Where an interaction came from.
public enum Channel: String, Sendable, CaseIterable {
    case api, sms, voice, email
    case stripe, calcom, generic
}

/// Where an interaction stands.
public enum InteractionStatus: String, Sendable, CaseIterable {
    /// Durably stored, not started yet.
    case accepted
    case running
    /// Parked until an operator approves or rejects.
    case awaitingApproval = "awaiting_approval"
    /// Parked until the customer replies (or the conversation times out).
    case awaitingReply = "awaiting_reply"
    /// Waiting to retry after a provider failure.
    case retrying
    /// Customer confirmed, operator notified, record updated, trace written.
    case completed
    /// Ended without the intended result; both parties were told why.
    case failed
    /// Could not finish even after retries; an operator can replay it.
    case dead
    /// A webhook event no flow of the tenant serves: stored and acknowledged, nothing run.
    case ignored

    public var isFinal: Bool { self == .completed || self == .failed || self == .dead || self == .ignored }
}
