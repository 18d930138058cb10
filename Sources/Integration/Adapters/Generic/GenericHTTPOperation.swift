import Model

/// One configured call of a generic HTTP system, from the tenant's YAML: method, URL, header and
/// JSON body templates, the fields to extract from the answer, and what counts as success.
/// Templates are rendered by the caller's closure (the template engine lives in Model).
public struct GenericHTTPOperation: Sendable {
    public var name: String
    public var method: String
    /// An absolute `http(s)://` URL template, or a path appended to the system's base URL.
    public var url: String
    public var headers: [(name: String, value: String)]
    /// A JSON body template; after rendering it must parse as JSON.
    public var body: String?
    /// Output name → dotted path in the JSON answer (`data.id`, `items.0.name`).
    public var extract: [String: String]
    public var success: SuccessCriteria
    /// A header that carries the call's idempotency key (`Idempotency-Key`); with it a POST or
    /// PATCH is retried like a keyed call, without it only when the system provably did not act.
    public var idempotencyHeader: String?

    public init(name: String, method: String, url: String, headers: [(name: String, value: String)] = [], body: String? = nil,
                extract: [String: String] = [:], success: SuccessCriteria = SuccessCriteria(), idempotencyHeader: String? = nil) {
        self.name = name
        self.method = method.uppercased()
        self.url = url
        self.headers = headers
        self.body = body
        self.extract = extract
        self.success = success
        self.idempotencyHeader = idempotencyHeader
    }

    /// When an answer counts as success: its status is in `statuses` (any 2xx when nil) and, if
    /// set, the field at `fieldPath` equals `fieldValue`.
    public struct SuccessCriteria: Sendable, Equatable {
        public var statuses: Set<Int>?
        public var fieldPath: String?
        public var fieldValue: JSON?

        public init(statuses: Set<Int>? = nil, fieldPath: String? = nil, fieldValue: JSON? = nil) {
            self.statuses = statuses
            self.fieldPath = fieldPath
            self.fieldValue = fieldValue
        }
    }

    var safety: RetrySafety {
        switch method {
        case "GET", "HEAD", "PUT", "DELETE", "OPTIONS": return .idempotent
        default: return idempotencyHeader == nil ? .unsafe : .idempotencyKeyed
        }
    }
}

/// What a generic call produced.
public struct GenericHTTPResult: Sendable, Equatable {
    public var status: Int
    /// The `extract` outputs found in the answer (missing paths are left out).
    public var fields: [String: JSON]
    /// The whole answer when it was JSON.
    public var body: JSON?

    public init(status: Int, fields: [String: JSON], body: JSON? = nil) {
        self.status = status
        self.fields = fields
        self.body = body
    }
}
