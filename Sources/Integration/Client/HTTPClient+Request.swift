import Model

extension HTTPClient {
    /// An outbound HTTP request.
    public struct Request: Sendable {
        public var method: String
        public var url: String
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]
        /// The whole exchange must finish within this time.
        public var timeoutSeconds: Double
        public var connectTimeoutSeconds: Double
        /// A PEM bundle of trusted CAs for a self-hosted system; nil trusts the system's.
        public var caFile: String?
        public var maxResponseBytes = 4 << 20

        public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
                    timeoutSeconds: Double = 10, connectTimeoutSeconds: Double = 3, caFile: String? = nil) {
            self.method = method
            self.url = url
            self.headers = headers
            self.body = body
            self.timeoutSeconds = timeoutSeconds
            self.connectTimeoutSeconds = connectTimeoutSeconds
            self.caFile = caFile
        }

        /// Sets the body to compact JSON with its content type.
        public mutating func setJSON(_ value: JSON) {
            body = value.serializedBytes()
            setHeader("Content-Type", "application/json")
        }

        /// Sets the body to `form` as `application/x-www-form-urlencoded`.
        public mutating func setForm(_ form: FormBody) {
            body = form.encoded()
            setHeader("Content-Type", "application/x-www-form-urlencoded")
        }

        public mutating func authorize(_ authorization: Authorization) {
            if let value = authorization.headerValue { setHeader("Authorization", value) }
        }

        /// Replaces every field named `name` (case-insensitively) with one holding `value`.
        public mutating func setHeader(_ name: String, _ value: String) {
            let lowered = name.lowercased()
            headers.removeAll { $0.name.lowercased() == lowered }
            headers.append((name, value))
        }

        public func header(_ name: String) -> String? {
            let lowered = name.lowercased()
            return headers.first { $0.name.lowercased() == lowered }?.value
        }
    }

    /// How a request proves who sends it.
    public enum Authorization: Sendable {
        case none
        /// `Authorization: Bearer <token>` (Stripe secret keys, HubSpot and Cal.com tokens).
        case bearer(String)
        /// `Authorization: Basic base64(user:password)` (Twilio's Account SID and auth token).
        case basic(user: String, password: String)

        public var headerValue: String? {
            switch self {
            case .none: return nil
            case .bearer(let token): return "Bearer \(token)"
            case .basic(let user, let password): return "Basic " + Base64.encode(Array("\(user):\(password)".utf8))
            }
        }

        /// The secret parts, for redaction.
        var secrets: [String] {
            switch self {
            case .none: return []
            case .bearer(let token): return [token]
            case .basic(_, let password): return [password]
            }
        }
    }
}
