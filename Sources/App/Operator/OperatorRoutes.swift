import HTTP
import Interaction
import Model
import Native
import Routing
import Storage

/// Tenant-scoped endpoints for the operator dashboard, with an operator or viewer key:
///
/// - `GET /v1/tenants/{tenant}/access`: the presented key's name and role (any role), so the
///   dashboard can offer only what the key may do.
/// - `GET /v1/tenants/{tenant}/audit[?action=&before=&limit=]` (operator keys only): who
///   approved, rejected or replayed what and when, and each configuration version a reload
///   brought in, newest first.
/// - `GET /v1/tenants/{tenant}/config/status`: the configuration version served, when it was
///   loaded, and the last reload error with file:line:column (an invalid edit keeps the last good
///   version serving).
/// - `GET /v1/tenants/{tenant}/stats[?window=24h|since=ISO]`: interactions per status, p50/p99
///   resolution time, provider calls and error rates, and the unfinished ones.
struct OperatorRoutes: Sendable {
    let tenants: TenantRegistry
    let access: TenantAccess
    let store: any InteractionStore

    func register(on routes: RouterBuilder) {
        let operatorRoutes = self
        routes.get("/v1/tenants/{tenant}/access") { try await operatorRoutes.whoami($0) }
        routes.get("/v1/tenants/{tenant}/config/status") { try await operatorRoutes.configStatus($0) }
        routes.get("/v1/tenants/{tenant}/stats") { try await operatorRoutes.stats($0) }
        routes.get("/v1/tenants/{tenant}/audit") { try await operatorRoutes.auditLog($0) }
    }

    func whoami(_ request: HTTPRequest) async throws -> HTTPResponse {
        let caller = try access.authorize(request, tenant: request.parameters["tenant"] ?? "", roles: Set(AccessRole.allCases))
        return try await HTTPResponse.attributed(to: caller.keyName) {
            try access.admit(caller)
            let actions: [JSON] = caller.role == .operator ? ["approve", "reject", "replay"] : []
            return HTTPResponse.json(["tenant": .string(caller.snapshot.id.rawValue), "key": .string(caller.keyName),
                                      "role": .string(caller.role.rawValue), "actions": .array(actions)])
        }
    }

    func configStatus(_ request: HTTPRequest) async throws -> HTTPResponse {
        let tenant = request.parameters["tenant"] ?? ""
        let principal = try access.authorize(request, tenant: tenant, roles: [.operator, .viewer])
        let snapshot = principal.snapshot
        return try await HTTPResponse.attributed(to: principal.keyName) {
            try access.admit(principal)
            let status = tenants.statuses.first { $0.snapshot?.id == snapshot.id }
            let served = status?.snapshot ?? snapshot
            let config = served.config
            var document: JSONObject = [
                "tenant": .string(config.id.rawValue), "name": .string(config.identity.name), "version": .string(served.version),
                "loaded_at": .string(Timestamp.iso8601(millis: served.loadedAtMillis)), "source": .string(served.source),
                "services": .int(Int64(config.services.count)), "flows": .array(config.flows.keys.sorted().map { .string($0) }),
                "templates": .int(Int64(config.templates.count)),
            ]
            if let status, let error = status.lastError {
                document["last_error"] = AdminRoutes.json(error, attemptedAt: status.lastAttemptMillis)
            } else {
                document["last_error"] = .null
            }
            return HTTPResponse.json(.object(document))
        }
    }

    func stats(_ request: HTTPRequest) async throws -> HTTPResponse {
        let tenant = request.parameters["tenant"] ?? ""
        let principal = try access.authorize(request, tenant: tenant, roles: [.operator, .viewer])
        return try await HTTPResponse.attributed(to: principal.keyName) {
            try access.admit(principal)
            let now = Clock.unixMillis()
            let since = try Self.since(request.queryItems, now: now)
            let stats: TenantStats
            let unfinished: [UnfinishedFigures]
            do {
                stats = try await store.stats(tenant: tenant, since: since)
                unfinished = try await store.unfinished(tenant: tenant)
            } catch let error as StoreError {
                throw HTTPError(.serviceUnavailable, code: "store_unavailable", message: "the journal could not be read: \(error.description)",
                                headers: [("Retry-After", "2")])
            }
            return HTTPResponse.json(Self.document(stats, unfinished: unfinished, now: now))
        }
    }

    func auditLog(_ request: HTTPRequest) async throws -> HTTPResponse {
        let tenant = request.parameters["tenant"] ?? ""
        let principal = try access.authorize(request, tenant: tenant, roles: [.operator])
        return try await HTTPResponse.attributed(to: principal.keyName) {
            try access.admit(principal)
            let query = request.queryItems
            let action = try QueryParameters.choice(query, "action", as: AuditEntry.Action.self)
            var before: Int64?
            if let text = query["before"], !text.isEmpty {
                guard let value = Int64(text), value > 0 else {
                    throw HTTPError(.unprocessableContent, code: "invalid_query", message: "before: must be an entry's sequence, as next_before gives it")
                }
                before = value
            }
            let limit = try QueryParameters.limit(query)
            let entries: [AuditEntry]
            do {
                entries = try await store.auditLog(tenant: tenant, action: action, before: before, limit: limit)
            } catch let error as StoreError {
                throw HTTPError(.serviceUnavailable, code: "store_unavailable", message: "the audit log could not be read: \(error.description)",
                                headers: [("Retry-After", "2")])
            }
            let next: JSON = entries.count == limit ? entries.last.map { .int($0.sequence) } ?? .null : .null
            return HTTPResponse.json(["data": .array(entries.map(\.json)), "next_before": next])
        }
    }

    static func document(_ stats: TenantStats, unfinished: [UnfinishedFigures], now: Int64) -> JSON {
        var byStatus = JSONObject()
        for status in InteractionStatus.allCases { byStatus[status.rawValue] = .int(Int64(stats.byStatus[status] ?? 0)) }
        let providers: [JSON] = stats.providers.map { figures in
            [
                "provider": .string(figures.provider), "calls": .int(Int64(figures.calls)), "errors": .int(Int64(figures.errors)),
                "error_rate": .double((figures.errorRate * 10_000).rounded() / 10_000), "retries": .int(Int64(figures.retries)),
                "mean_ms": .int(figures.calls == 0 ? 0 : figures.totalMillis / Int64(figures.calls)),
            ]
        }
        let waiting: [JSON] = unfinished.sorted { $0.status.rawValue < $1.status.rawValue }.map { figures in
            [
                "status": .string(figures.status.rawValue), "count": .int(Int64(figures.count)),
                "oldest_at": .string(Timestamp.iso8601(millis: figures.oldestCreatedAt)),
                "oldest_age_seconds": .int(max(0, now - figures.oldestCreatedAt) / 1000),
            ]
        }
        return [
            "since": .string(Timestamp.iso8601(millis: stats.since)), "total": .int(Int64(stats.total)), "by_status": .object(byStatus),
            "resolution_ms": [
                "count": .int(Int64(stats.resolution.count)),
                "p50": stats.resolution.p50Millis.map { .int($0) } ?? .null,
                "p99": stats.resolution.p99Millis.map { .int($0) } ?? .null,
            ],
            "providers": .array(providers), "unfinished": .array(waiting),
        ]
    }

    /// The window's start from `since=ISO 8601` or `window=30m|24h|7d` (default 24 hours; at most 90 days).
    static func since(_ query: [String: String], now: Int64) throws(HTTPError) -> Int64 {
        let longest: Int64 = 90 * 86_400_000
        if let text = query["since"], !text.isEmpty {
            guard let millis = Timestamp.parseISO8601(text) else {
                throw HTTPError(.unprocessableContent, code: "invalid_query", message: "since: must be an ISO 8601 time such as 2026-11-20T00:00:00Z")
            }
            return max(millis, now - longest)
        }
        guard let text = query["window"], !text.isEmpty else { return now - 86_400_000 }
        guard let millis = WindowText.millis(text), millis > 0, millis <= longest else {
            throw HTTPError(.unprocessableContent, code: "invalid_query",
                            message: "window: must be a length such as 30m, 24h or 7d, at most 90d")
        }
        return now - millis
    }
}

/// Lengths of time as the CLI and the dashboard write them: `45s`, `30m`, `24h`, `7d`, `2w`.
enum WindowText {
    static func millis(_ text: String) -> Int64? {
        guard let unit = text.last, let number = Int64(text.dropLast()), number >= 0 else { return nil }
        let scale: Int64
        switch unit {
        case "s": scale = 1000
        case "m": scale = 60_000
        case "h": scale = 3_600_000
        case "d": scale = 86_400_000
        case "w": scale = 7 * 86_400_000
        default: return nil
        }
        let (product, overflow) = number.multipliedReportingOverflow(by: scale)
        return overflow ? nil : product
    }
}
