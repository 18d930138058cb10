import HTTP
import Model
import Native
import Routing
import Synchronization

/// Who may call a tenant's endpoints, and how often.
///
/// Keys are compared as SHA-256 digests in constant time. An unknown tenant and a wrong key get
/// the same 401, so callers cannot probe which tenants exist; a valid key whose role does not
/// reach the endpoint gets 403 naming the roles that do.
public final class TenantAccess: Sendable {
    public typealias Role = AccessRole

    private let tenants: any TenantLookup
    private let buckets = Mutex<[String: TokenBucket]>([:])

    public init(tenants: any TenantLookup) {
        self.tenants = tenants
    }

    static let unauthorized = HTTPError(.unauthorized, code: "unauthorized",
                                        message: "missing or invalid credentials for this tenant",
                                        headers: [("WWW-Authenticate", "Bearer")])

    /// The caller, if the request carries one of the tenant's keys and its role is in `roles`.
    ///
    /// - Throws: 401 for a missing or unknown key and an unknown tenant; 403 for a key of another
    ///   role.
    public func authorize(_ request: HTTPRequest, tenant: String, roles: Set<Role>) throws(HTTPError) -> TenantPrincipal {
        guard TenantID.isValid(tenant), let snapshot = tenants.snapshot(for: TenantID(tenant)) else {
            // Spend the same work as a real check before refusing.
            _ = Crypto.sha256(Self.bearer(request) ?? "")
            throw Self.unauthorized
        }
        guard let presented = Self.bearer(request) else { throw Self.unauthorized }
        let digest = Crypto.sha256(presented)
        let access = snapshot.config.access
        var matched: (role: Role, name: String)?
        // Every key of every role is compared, whatever matched first, so timing tells neither
        // which key nor which role matched. The loader refuses one digest in two places.
        for role in Role.allCases {
            for key in access.keys(role) where Crypto.constantTimeEquals(key.digest, digest) {
                matched = (role, key.name)
            }
        }
        guard let matched else { throw Self.unauthorized }
        guard roles.contains(matched.role) else { throw Self.forbidden(role: matched.role, key: matched.name, needed: roles) }
        return TenantPrincipal(snapshot: snapshot, role: matched.role, keyName: matched.name)
    }

    static func forbidden(role: Role, key: String, needed: Set<Role>) -> HTTPError {
        let names = Role.allCases.filter(needed.contains).map { "\($0)" }
        let list = names.count == 1 ? (names[0] == "viewer" ? "a" : "an") + " \(names[0]) key"
            : "a key of role " + names.joined(separator: " or ")
        return HTTPError(.forbidden, code: "forbidden",
                         message: "this endpoint needs \(list); the key \"\(key)\" has the \(role) role (access.\(role)_keys)")
    }

    /// The snapshot of a tenant whose webhooks are being verified (no key: the signature is the
    /// credential). Unknown tenants get the same 401 as a bad signature.
    public func snapshotForWebhook(tenant: String) throws(HTTPError) -> TenantSnapshot {
        guard TenantID.isValid(tenant), let snapshot = tenants.snapshot(for: TenantID(tenant)) else { throw Self.unauthorized }
        return snapshot
    }

    /// Takes one request from the tenant's token bucket, or throws 429 with Retry-After.
    /// Customer-facing work (new interactions, webhooks, calls): the tenant's request limit.
    public func admit(_ snapshot: TenantSnapshot, now: UInt64 = Clock.monotonicNanos()) throws(HTTPError) {
        let limits = snapshot.config.access.limits
        try take(snapshot.id.rawValue, rate: limits.requestsPerSecond, burst: limits.burst, now: now,
                 refusal: "tenant \(snapshot.id) is over its limit of \(limits.requestsPerSecond) requests per second")
    }

    /// A keyed request: an api key's reads count with customer-facing work, an operator's or a
    /// viewer's with the tenant's operator limit.
    public func admit(_ principal: TenantPrincipal, now: UInt64 = Clock.monotonicNanos()) throws(HTTPError) {
        guard principal.role != .api else { return try admit(principal.snapshot, now: now) }
        let limits = principal.snapshot.config.access.limits
        try take(principal.snapshot.id.rawValue + "#operator", rate: limits.operatorRequestsPerSecond, burst: limits.operatorBurst,
                 now: now, refusal: "tenant \(principal.snapshot.id)'s operators are over their limit of "
                     + "\(limits.operatorRequestsPerSecond) requests per second (access.limits.operator_requests_per_second)")
    }

    private func take(_ bucketKey: String, rate: Int, burst: Int, now: UInt64, refusal: String) throws(HTTPError) {
        let wait = buckets.withLock { buckets -> UInt64 in
            var bucket = buckets[bucketKey] ?? TokenBucket(ratePerSecond: Double(rate), burst: Double(burst), now: now)
            bucket.configure(ratePerSecond: Double(rate), burst: Double(burst))
            let wait = bucket.take(now: now)
            buckets[bucketKey] = bucket
            return wait
        }
        guard wait > 0 else { return }
        let seconds = max(1, Int((Double(wait) / 1e9).rounded(.up)))
        throw HTTPError(.tooManyRequests, code: "rate_limited", message: refusal, headers: [("Retry-After", String(seconds))])
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

/// A caller that presented one of a tenant's keys: the tenant as it is served, the key's role and
/// its name (for the trace, the audit log and the access log; never the key).
public struct TenantPrincipal: Sendable {
    public let snapshot: TenantSnapshot
    public let role: AccessRole
    public let keyName: String

    public init(snapshot: TenantSnapshot, role: AccessRole, keyName: String) {
        self.snapshot = snapshot
        self.role = role
        self.keyName = keyName
    }

    /// Whether this caller may read `interaction`: operators and viewers read all of their
    /// tenant's; an `api` key only the API requests it submitted.
    public func mayRead(_ interaction: Interaction) -> Bool {
        role != .api || (interaction.channel == .api && interaction.submittedBy == keyName)
    }
}
