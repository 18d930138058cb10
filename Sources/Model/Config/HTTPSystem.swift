/// "Any system with an API": a named generic HTTP integration whose calls are described in YAML
/// and run by the `http.call` agent.
public struct HTTPSystem: Sendable, Hashable {
    public var name: String
    public var baseURL: String
    /// Secrets the templates may read as `{{credentials.<name>}}` (headers, path, body only);
    /// calls use each one's `current`.
    public var credentials: [String: SecretSet]
    /// Headers sent with every operation, rendered per call.
    public var headers: [String: Template]
    public var timeout: Duration
    public var rateLimit: RateLimit?
    public var caFile: String?
    public var operations: [String: HTTPOperation]

    public init(name: String, baseURL: String, credentials: [String: SecretSet] = [:], headers: [String: Template] = [:],
                timeout: Duration = .seconds(10), rateLimit: RateLimit? = nil, caFile: String? = nil,
                operations: [String: HTTPOperation] = [:]) {
        self.name = name
        self.baseURL = baseURL
        self.credentials = credentials
        self.headers = headers
        self.timeout = timeout
        self.rateLimit = rateLimit
        self.caFile = caFile
        self.operations = operations
    }
}

/// One call of a generic HTTP system.
public struct HTTPOperation: Sendable, Hashable {
    public var name: String
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    public var method: String
    /// Appended to the system's `base_url`; variables are percent-encoded by the caller.
    public var path: Template
    public var headers: [String: Template]
    /// The request body; use the `json` formatter for values inside a JSON body.
    public var body: Template?
    public var contentType: String
    /// Context keys under `http.<operation>.` filled from the JSON response: key → dotted path
    /// (`data.items.0.id`).
    public var response: [String: String]
    public var success: SuccessCriteria
    /// Statuses that mean "no such thing" (the `not_found` outcome) rather than an error.
    public var notFoundStatuses: Set<Int>

    public init(name: String, method: String, path: Template, headers: [String: Template] = [:], body: Template? = nil,
                contentType: String = "application/json", response: [String: String] = [:],
                success: SuccessCriteria = SuccessCriteria(), notFoundStatuses: Set<Int> = [404]) {
        self.name = name
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.contentType = contentType
        self.response = response
        self.success = success
        self.notFoundStatuses = notFoundStatuses
    }
}

/// When a generic call counts as `ok`: its status is listed (any 2xx when none are), and, if a
/// field is named, the response's value at that path equals `equals`.
public struct SuccessCriteria: Sendable, Hashable {
    public var statuses: Set<Int>
    public var field: String?
    public var equals: JSON?

    public init(statuses: Set<Int> = [], field: String? = nil, equals: JSON? = nil) {
        self.statuses = statuses
        self.field = field
        self.equals = equals
    }

    public func isSatisfied(status: Int, body: JSON?) -> Bool {
        guard statuses.isEmpty ? (200..<300).contains(status) : statuses.contains(status) else { return false }
        guard let field else { return true }
        let value = body?.value(at: field)
        if let equals { return value == equals }
        return value != nil && value != .null && value != .bool(false)
    }
}
