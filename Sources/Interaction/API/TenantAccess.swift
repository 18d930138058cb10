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
        let rate = Double(limits.requestsPerSecond), burst = Double(limits.burst)
        let wait = buckets.withLock { buckets -> UInt64 in
            var bucket = buckets[snapshot.id.rawValue] ?? TokenBucket(ratePerSecond: rate, burst: burst, now: now)
            bucket.configure(ratePerSecond: rate, burst: burst)
            let wait = bucket.take(now: now)
            buckets[snapshot.id.rawValue] = bucket
            return wait
        }
        guard wait > 0 else { return }
        let seconds = max(1, Int((Double(wait) / 1e9).rounded(.up)))
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

extension Substring {
    var trimmingSpacesAndTabs: String {
        var s = self
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
