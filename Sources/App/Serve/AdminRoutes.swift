import HTTP
import Model
import Native
import Routing

/// `GET /v1/admin/tenants`: what the registry serves and what it rejected, for operators.
/// Requires `Authorization: Bearer <admin token>`; without a configured token every call is 401.
struct AdminRoutes: Sendable {
    let tenants: TenantRegistry
    /// The SHA-256 of the admin token: compared in constant time with the presented token's.
    let tokenDigest: [UInt8]?

    init(tenants: TenantRegistry, adminToken: String?) {
        self.tenants = tenants
        tokenDigest = adminToken.flatMap { $0.isEmpty ? nil : Crypto.sha256($0) }
    }

    func register(on routes: RouterBuilder) {
        let admin = self
        routes.get("/v1/admin/tenants") { request in
            try admin.authorize(request)
            return HTTPResponse.json(admin.tenantsDocument())
        }
    }

    func authorize(_ request: HTTPRequest) throws(HTTPError) {
        guard let expected = tokenDigest else {
            throw HTTPError(.unauthorized, code: "unauthorized",
                            message: "the admin API is disabled: start the server with --admin-token or SWITCHBOARD_ADMIN_TOKEN")
        }
        let header = request.headers["Authorization"] ?? ""
        let presented = header.hasPrefix("Bearer ") ? String(header.dropFirst(7)) : ""
        // Digests have equal lengths, so the comparison's time says nothing about the token.
        guard Crypto.constantTimeEquals(Crypto.sha256(presented), expected) else {
            throw HTTPError(.unauthorized, code: "unauthorized", message: "missing or invalid admin token",
                            headers: [("WWW-Authenticate", "Bearer")])
        }
    }

    func tenantsDocument() -> JSON {
        var served: [JSON] = []
        var rejected: [JSON] = []
        for status in tenants.statuses {
            let error = status.lastError.map { Self.json($0, attemptedAt: status.lastAttemptMillis) } ?? .null
            if let snapshot = status.snapshot {
                served.append([
                    "id": .string(snapshot.id.rawValue),
                    "name": .string(snapshot.config.identity.name),
                    "version": .string(snapshot.version),
                    "loaded_at": .string(Timestamp.iso8601(millis: snapshot.loadedAtMillis)),
                    "source": .string(snapshot.source),
                    "last_error": error,
                ])
            } else if status.lastError != nil {
                rejected.append(["source": .string(status.path), "last_error": error])
            }
        }
        return ["tenants": .array(served), "rejected_files": .array(rejected)]
    }

    static func json(_ error: ConfigError, attemptedAt: Int64) -> JSON {
        let problems = error.diagnostics.map { diagnostic -> JSON in
            [
                "file": .string(diagnostic.location.file),
                "line": .int(Int64(diagnostic.location.line)),
                "column": .int(Int64(diagnostic.location.column)),
                "path": .string(diagnostic.path),
                "message": .string(diagnostic.message),
                "text": .string(diagnostic.description),
            ]
        }
        return ["attempted_at": .string(Timestamp.iso8601(millis: attemptedAt)), "count": .int(Int64(problems.count)),
                "problems": .array(problems)]
    }
}
