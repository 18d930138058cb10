import Integration
import Interaction
import Model
import Native
import Storage

/// Where `trace` and `replay` find an interaction: a running server (`--url`, with the operator
/// key from `SWITCHBOARD_OPERATOR_KEY`), or its journal directly (`--db`: a SQLite file or a
/// PostgreSQL URL).
enum OperatorTarget {
    case server(url: String, key: String)
    case database(path: String)

    static let flags: [Flag] = [
        Flag(name: "tenant", environment: "SWITCHBOARD_TENANT", valueName: "ID", help: "the tenant the interaction belongs to",
             defaultValue: nil),
        Flag(name: "url", environment: "SWITCHBOARD_URL", valueName: "URL",
             help: "a running server; the operator key comes from SWITCHBOARD_OPERATOR_KEY", defaultValue: nil),
        Flag(name: "db", environment: nil, valueName: "PATH", help: "the server's database (SQLite file or postgres:// URL), read directly",
             defaultValue: nil),
    ]

    /// The target and tenant named by the flags.
    static func resolve(_ parsed: ParsedFlags, environment: [String: String]) throws(UsageError) -> (OperatorTarget, String) {
        guard let tenant = parsed["tenant"], TenantID.isValid(tenant) else {
            throw UsageError("give the interaction's tenant with --tenant ID (or SWITCHBOARD_TENANT)")
        }
        if let path = parsed["db"] {
            guard PostgresURL.isPostgres(path) || FileSystem.kind(of: path) == .file else {
                throw UsageError("--db \(path): no database file there")
            }
            return (.database(path: path), tenant)
        }
        guard let url = parsed["url"] else { throw UsageError("give --url URL (a running server) or --db PATH (its database)") }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else { throw UsageError("--url must start with http:// or https://") }
        guard let key = environment["SWITCHBOARD_OPERATOR_KEY"], !key.isEmpty else {
            throw UsageError("set SWITCHBOARD_OPERATOR_KEY to the tenant's operator key (not a flag, to keep it out of process lists)")
        }
        return (.server(url: url.hasSuffix("/") ? String(url.dropLast()) : url, key: key), tenant)
    }

    /// `GET` or `POST` on the tenant API of a running server; the JSON answer, or an error that
    /// carries the server's message.
    static func call(_ method: String, url: String, key: String, tenant: String, path: String) async throws -> JSON {
        let client = try HTTPClient()
        defer { client.shutdown() }
        var request = HTTPClient.Request(method: method, url: "\(url)/v1/tenants/\(tenant)\(path)",
                                         headers: [("Authorization", "Bearer \(key)"), ("Accept", "application/json")], timeoutSeconds: 60)
        if method == "POST" {
            request.headers.append(("Content-Type", "application/json"))
            request.body = Array("{\"by\":\"cli\"}".utf8)
        }
        let response: HTTPClient.Response
        do {
            response = try await client.send(request)
        } catch {
            throw OperatorTargetError(message: "cannot reach Switchboard at \(url) (\(error)); is it running, and is --url right?")
        }
        guard response.isSuccess, let json = response.json else {
            let message = response.json?.value(at: "error.message")?.stringValue ?? response.bodyText.prefix(200).description
            throw OperatorTargetError(message: "\(method) \(url)/v1/tenants/\(tenant)\(path): HTTP \(response.status): \(message)")
        }
        return json
    }

    /// The trace of `id` as the API shows it, read from the journal at `path`.
    static func trace(database path: String, tenant: String, id: InteractionID) async throws -> JSON {
        let store = try Application.openJournal(path)
        guard let record = try await store.interaction(tenant: tenant, id: id) else {
            throw OperatorTargetError(message: "no interaction \(id) for tenant \(tenant) in \(Application.describeDatabase(path))")
        }
        let steps = try await store.steps(tenant: tenant, id: id)
        try? await (store as? any LeasedStore)?.resign()
        return TraceView.trace(record, steps: steps)
    }
}

struct OperatorTargetError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
