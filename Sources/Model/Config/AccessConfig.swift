/// Who may call the tenant's API and how much.
///
/// Every key has one role, by the list it is in; README.md's table says which role reaches which
/// endpoint.
public struct AccessConfig: Sendable, Hashable {
    /// `api` keys (a website's booking widget, a partner): create interactions and read back only
    /// the ones they created, as a summary without personal data.
    public var apiKeys: [AccessKey]
    /// `operator` keys: read everything of the tenant and act on it (approve, reject, replay).
    public var operatorKeys: [AccessKey]
    /// `viewer` keys: read everything an operator reads, act on nothing.
    public var viewerKeys: [AccessKey]
    public var limits: TenantLimits

    public init(apiKeys: [AccessKey] = [], operatorKeys: [AccessKey] = [], viewerKeys: [AccessKey] = [],
                limits: TenantLimits = TenantLimits()) {
        self.apiKeys = apiKeys
        self.operatorKeys = operatorKeys
        self.viewerKeys = viewerKeys
        self.limits = limits
    }

    /// The keys of one role.
    public func keys(_ role: AccessRole) -> [AccessKey] {
        switch role {
        case .api: apiKeys
        case .operator: operatorKeys
        case .viewer: viewerKeys
        }
    }
}

/// What a key may do. The role comes from the list the key is in (`api_keys`, `operator_keys`,
/// `viewer_keys`).
public enum AccessRole: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case api
    case `operator`
    case viewer

    public var description: String { rawValue }
}

/// A key stored as its SHA-256 digest (`sha256:<64 hex>` in the file). A presented key matches
/// when the SHA-256 of its UTF-8 bytes equals `digest`; compare with
/// `Crypto.constantTimeEquals`, against every key of the list.
public struct AccessKey: Sendable, Hashable, CustomStringConvertible {
    /// A label for logs and traces: `website`, `front-desk`.
    public var name: String
    public var digest: [UInt8]

    public init(name: String, digest: [UInt8]) {
        self.name = name
        self.digest = digest
    }

    /// Parses `sha256:` followed by 64 hexadecimal digits.
    public static func parseDigest(_ text: String) -> [UInt8]? {
        guard text.hasPrefix("sha256:") else { return nil }
        let hex = text.dropFirst(7)
        guard hex.utf8.count == 64, let bytes = Hex.decode(hex) else { return nil }
        return bytes
    }

    public var description: String { "\(name) (sha256:\(Hex.encode(digest.prefix(4)))…)" }
}

/// Per-tenant admission limits, enforced before any work is stored.
public struct TenantLimits: Sendable, Hashable {
    /// Sustained API and webhook requests per second (token bucket rate).
    public var requestsPerSecond: Int
    /// Requests allowed at once above the rate (token bucket size).
    public var burst: Int
    /// Executions running at the same time; more wait their turn.
    public var concurrentExecutions: Int
    /// Largest request body accepted (413 above).
    public var maxBodyBytes: Int
    /// Operator and viewer requests per second (the dashboard, reads, approvals): a bucket of
    /// their own, so a burst of customers never locks the operator out, nor the reverse.
    public var operatorRequestsPerSecond: Int
    public var operatorBurst: Int
    /// New interactions that may wait for an execution slot on one node; more are refused (503
    /// with Retry-After) before anything is stored.
    public var maxBacklog: Int

    public init(requestsPerSecond: Int = 20, burst: Int = 40, concurrentExecutions: Int = 16, maxBodyBytes: Int = 1 << 20,
                operatorRequestsPerSecond: Int = 20, operatorBurst: Int = 40, maxBacklog: Int = 500) {
        self.requestsPerSecond = requestsPerSecond
        self.burst = burst
        self.concurrentExecutions = concurrentExecutions
        self.maxBodyBytes = maxBodyBytes
        self.operatorRequestsPerSecond = operatorRequestsPerSecond
        self.operatorBurst = operatorBurst
        self.maxBacklog = maxBacklog
    }
}
