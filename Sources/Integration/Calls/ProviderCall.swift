import Model

/// What the trace keeps of one provider call: enough to see what was asked of whom and how it
/// ended, and nothing that could authenticate anyone. URLs are redacted (query secrets, webhook
/// tokens), messages are scrubbed of credentials and card-like numbers, and no header is kept.
public struct ProviderCall: Sendable, Equatable {
    public var tenant: String
    /// The provider kind: `stripe`, `twilio`, `hubspot`, `calcom`, `slack`, `smtp`, `http`.
    public var provider: String
    /// The integration's name in the tenant's configuration (`payments`, `erp`).
    public var integration: String
    /// The adapter operation, such as `createRefund`.
    public var operation: String
    public var method: String
    public var url: String
    /// The last HTTP status (or SMTP reply code) received; nil when none arrived.
    public var status: Int?
    public var attempts: Int
    public var durationMillis: Int
    /// nil on success.
    public var errorKind: ProviderError.Kind?
    /// The provider's explanation of the failure, redacted.
    public var errorMessage: String?
    /// The key sent as `Idempotency-Key` (or otherwise tied to the call); not a secret.
    public var idempotencyKey: String?
    /// Unix milliseconds when the call started.
    public var startedAt: Int64
    /// The calling task was cancelled; for an `unsafe` call the effect is then unknown.
    public var wasCancelled = false

    public init(tenant: String, provider: String, integration: String, operation: String, method: String, url: String,
                status: Int? = nil, attempts: Int = 0, durationMillis: Int = 0, errorKind: ProviderError.Kind? = nil,
                errorMessage: String? = nil, idempotencyKey: String? = nil, startedAt: Int64 = 0) {
        self.tenant = tenant
        self.provider = provider
        self.integration = integration
        self.operation = operation
        self.method = method
        self.url = url
        self.status = status
        self.attempts = attempts
        self.durationMillis = durationMillis
        self.errorKind = errorKind
        self.errorMessage = errorMessage
        self.idempotencyKey = idempotencyKey
        self.startedAt = startedAt
    }

    public var succeeded: Bool { errorKind == nil && !wasCancelled }

    /// The record as a JSON object for the trace.
    public var json: JSON {
        var object: JSONObject = [
            "provider": .string(provider), "integration": .string(integration), "operation": .string(operation),
            "method": .string(method), "url": .string(url), "attempts": .int(Int64(attempts)),
            "duration_ms": .int(Int64(durationMillis)), "started_at": .string(Timestamp.iso8601(millis: startedAt)),
        ]
        object["status"] = status.map { .int(Int64($0)) } ?? .null
        if let errorKind { object["error"] = ["kind": .string(errorKind.rawValue), "message": .string(errorMessage ?? "")] }
        if let idempotencyKey { object["idempotency_key"] = .string(idempotencyKey) }
        if wasCancelled { object["cancelled"] = true }
        return .object(object)
    }
}

/// Where provider calls are written: the execution trace, a test's log.
public protocol ProviderCallRecorder: Sendable {
    func record(_ call: ProviderCall)
}
