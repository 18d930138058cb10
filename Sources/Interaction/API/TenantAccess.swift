import HTTP
import Model
import Native
import Routing
import Synchronization

/// Who may call a tenant's endpoints, and how often.
///
/// Keys are compared as SHA-256 digests in constant time. An unknown tenant and a wrong key get
/// the same 401, so callers cannot probe which tenants exist.
public final class TenantAccess: Sendable {
    public enum Role: Sendable { case api, `operator` }

    private let tenants: any TenantLookup
    private let buckets = Mutex<[String: TokenBucket]>([:])

    public init(tenants: any TenantLookup) {
        self.tenants = tenants
    }

    static let unauthorized = HTTPError(.unauthorized, code: "unauthorized",
                                        message: "missing or invalid credentials for this tenant",
                                        headers: [("WWW-Authenticate", "Bearer")])

    /// The tenant's snapshot if the request carries one of its keys for `roles`.
    public func authorize(_ request: HTTPRequest, tenant: String, roles: Set<Role>) throws(HTTPError) -> TenantSnapshot {
        guard TenantID.isValid(tenant), let snapshot = tenants.snapshot(for: TenantID(tenant)) else {
            // Spend the same work as a real check before refusing.
            _ = Crypto.sha256(Self.bearer(request) ?? "")
            throw Self.unauthorized
        }
        guard let presented = Self.bearer(request) else { throw Self.unauthorized }
        let digest = Crypto.sha256(presented)
        let access = snapshot.config.access
        var matched = false
        // Every key is compared, whatever matched first, so timing does not tell which did.
        if roles.contains(.api) { for key in access.apiKeys { matched = Crypto.constantTimeEquals(key.digest, digest) || matched } }
        if roles.contains(.operator) { for key in access.operatorKeys { matched = Crypto.constantTimeEquals(key.digest, digest) || matched } }
        guard matched else { throw Self.unauthorized }
        return snapshot
    }

    /// The snapshot of a tenant whose webhooks are being verified (no key: the signature is the
    /// credential). Unknown tenants get the same 401 as a bad signature.
    public func snapshotForWebhook(tenant: String) throws(HTTPError) -> TenantSnapshot {
        guard TenantID.isValid(tenant), let snapshot = tenants.snapshot(for: TenantID(tenant)) else { throw Self.unauthorized }
        return snapshot
    }

    /// Takes one request from the tenant's token bucket, or throws 429 with Retry-After.
    public func admit(_ snapshot: TenantSnapshot, now: UInt64 = Clock.monotonicNanos()) throws(HTTPError) {
        let limits = snapshot.config.access.limits
        let wait = buckets.withLock { buckets -> Double in
            var bucket = buckets[snapshot.id.rawValue]
                ?? TokenBucket(rate: Double(limits.requestsPerSecond), burst: Double(limits.burst), now: now)
            bucket.configure(rate: Double(limits.requestsPerSecond), burst: Double(limits.burst))
            let wait = bucket.take(now: now)
            buckets[snapshot.id.rawValue] = bucket
            return wait
        }
        guard wait > 0 else { return }
        let seconds = max(1, Int(wait.rounded(.up)))
        throw HTTPError(.tooManyRequests, code: "rate_limited",
                        message: "tenant \(snapshot.id) is over its limit of \(limits.requestsPerSecond) requests per second",
                        headers: [("Retry-After", String(seconds))])
    }

    static func bearer(_ request: HTTPRequest) -> String? {
        guard let header = request.headers["Authorization"] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingSpacesAndTabs
        return token.isEmpty ? nil : token
    }
}

/// A token bucket on the monotonic clock.
struct TokenBucket: Sendable {
    private(set) var rate: Double
    private(set) var burst: Double
    private var tokens: Double
    private var updatedAt: UInt64

    init(rate: Double, burst: Double, now: UInt64) {
        self.rate = max(0.001, rate)
        self.burst = max(1, burst)
        tokens = self.burst
        updatedAt = now
    }

    mutating func configure(rate: Double, burst: Double) {
        self.rate = max(0.001, rate)
        self.burst = max(1, burst)
        tokens = min(tokens, self.burst)
    }

    /// Takes a token: 0 when granted, otherwise the seconds until one is available.
    mutating func take(now: UInt64) -> Double {
        let elapsed = Double(now &- updatedAt) / 1e9
        tokens = min(burst, tokens + elapsed * rate)
        updatedAt = now
        if tokens >= 1 {
            tokens -= 1
            return 0
        }
        return (1 - tokens) / rate
    }
}

extension Substring {
    var trimmingSpacesAndTabs: String {
        var s = self
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
