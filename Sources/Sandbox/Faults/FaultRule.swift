import Model

/// A fault the sandbox injects into matching requests: added latency, an error status, or a 429
/// with `Retry-After`, in the matched provider's error format. With `loseAnswer` the request is
/// carried out first and only its answer replaced by the error: what a client sees when the
/// provider acted and the answer never came back.
public struct FaultRule: Sendable, Equatable {
    /// Only this method (`POST`); nil for any.
    public var method: String?
    /// Requests whose path starts with this (`/stripe/v1/refunds`, `/twilio`, `/`).
    public var pathPrefix: String
    public var latencyMillis: Int
    /// Share of matching requests answered with `errorStatus` (0 to 1).
    public var errorRate: Double
    public var errorStatus: Int
    /// Share of matching requests answered 429 with `Retry-After: retryAfterSeconds`.
    public var rateLimitRate: Double
    public var retryAfterSeconds: Int
    /// The rule applies to this many more matching requests, then disappears; nil for always.
    public var times: Int?
    /// The error replaces the answer of a request that was carried out.
    public var loseAnswer: Bool

    public init(method: String? = nil, pathPrefix: String = "/", latencyMillis: Int = 0, errorRate: Double = 0,
                errorStatus: Int = 500, rateLimitRate: Double = 0, retryAfterSeconds: Int = 1, times: Int? = nil,
                loseAnswer: Bool = false) {
        self.method = method?.uppercased()
        self.pathPrefix = pathPrefix
        self.latencyMillis = latencyMillis
        self.errorRate = errorRate
        self.errorStatus = errorStatus
        self.rateLimitRate = rateLimitRate
        self.retryAfterSeconds = retryAfterSeconds
        self.times = times
        self.loseAnswer = loseAnswer
    }

    /// Reads `{"method","path","latency_ms","error_rate","error_status","rate_limit_rate","retry_after","times","lose_answer"}`.
    public init(json: JSON) throws(SandboxError) {
        guard json.objectValue != nil else { throw SandboxError.badRequest("a fault rule must be a JSON object") }
        func number(_ key: String) throws(SandboxError) -> Double? {
            guard let value = json[key], !value.isNull else { return nil }
            guard let number = value.doubleValue else { throw SandboxError.badRequest("\(key) must be a number") }
            return number
        }
        self.init(method: json["method"]?.stringValue, pathPrefix: json["path"]?.stringValue ?? "/",
                  latencyMillis: Int(try number("latency_ms") ?? 0), errorRate: try number("error_rate") ?? 0,
                  errorStatus: Int(try number("error_status") ?? 500), rateLimitRate: try number("rate_limit_rate") ?? 0,
                  retryAfterSeconds: Int(try number("retry_after") ?? 1), times: try number("times").map { Int($0) },
                  loseAnswer: try Self.flag(json["lose_answer"]))
        guard (0...1).contains(errorRate), (0...1).contains(rateLimitRate) else {
            throw SandboxError.badRequest("error_rate and rate_limit_rate must be between 0 and 1")
        }
        guard (400...599).contains(errorStatus) else { throw SandboxError.badRequest("error_status must be 4xx or 5xx") }
    }

    public var json: JSON {
        var object: JSONObject = ["path": .string(pathPrefix), "latency_ms": .int(Int64(latencyMillis)), "error_rate": .double(errorRate),
                                  "error_status": .int(Int64(errorStatus)), "rate_limit_rate": .double(rateLimitRate),
                                  "retry_after": .int(Int64(retryAfterSeconds))]
        object["method"] = method.map { .string($0) } ?? .null
        object["times"] = times.map { .int(Int64($0)) } ?? .null
        object["lose_answer"] = .bool(loseAnswer)
        return .object(object)
    }

    private static func flag(_ value: JSON?) throws(SandboxError) -> Bool {
        guard let value, !value.isNull else { return false }
        guard let flag = value.boolValue else { throw SandboxError.badRequest("lose_answer must be true or false") }
        return flag
    }

    func matches(method: String, path: Substring) -> Bool {
        (self.method == nil || self.method == method) && path.hasPrefix(pathPrefix)
    }
}
