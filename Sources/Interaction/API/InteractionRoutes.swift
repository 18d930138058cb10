import HTTP
import Model
import Native
import Routing
import Storage

/// The tenant API: accept interactions, read them and their traces, and the operator actions.
public struct InteractionRoutes: Sendable {
    let engine: Engine
    let access: TenantAccess
    /// Longest `Prefer: wait=N` honoured, in seconds.
    let maxWaitSeconds: Double

    public init(engine: Engine, access: TenantAccess, maxWaitSeconds: Double = 30) {
        self.engine = engine
        self.access = access
        self.maxWaitSeconds = maxWaitSeconds
    }

    var store: any InteractionStore { engine.store }

    public func register(on routes: RouterBuilder) {
        routes.post("/v1/tenants/{tenant}/interactions") { try await create($0) }
        routes.get("/v1/tenants/{tenant}/interactions") { try await list($0) }
        routes.get("/v1/tenants/{tenant}/interactions/{id}") { try await show($0) }
        routes.post("/v1/tenants/{tenant}/interactions/{id}/approve") { try await decide($0, approve: true) }
        routes.post("/v1/tenants/{tenant}/interactions/{id}/reject") { try await decide($0, approve: false) }
        routes.post("/v1/tenants/{tenant}/interactions/{id}/replay") { try await replay($0) }
    }

    /// `POST /v1/tenants/{tenant}/interactions`: 202 once durably stored; with `Prefer: wait=N`,
    /// 200 and the outcome if the flow ends or waits within N seconds.
    func create(_ request: HTTPRequest) async throws -> HTTPResponse {
        let tenant = request.parameters["tenant"] ?? ""
        let snapshot = try access.authorize(request, tenant: tenant, roles: [.api])
        try access.admit(snapshot)
        guard request.body.count <= snapshot.config.access.limits.maxBodyBytes else {
            throw HTTPError(.contentTooLarge, code: "body_too_large",
                            message: "the body is larger than this tenant's limit of \(snapshot.config.access.limits.maxBodyBytes) bytes")
        }
        guard request.mediaType == "application/json" else { throw NormalisationError.mediaType(expected: "application/json") }
        var body = try APIInteractionRequest.parse(request.body)
        switch snapshot.config.checkFields(body.fields, text: body.text, service: body.service) {
        case .success(let fields): body.fields = fields
        case .failure(let problem): throw NormalisationError.invalid("fields.\(problem.field)", problem.message)
        }
        let key = request.headers["Idempotency-Key"]
        if let key, key.isEmpty || key.utf8.count > 255 {
            throw HTTPError(.badRequest, code: "invalid_idempotency_key", message: "Idempotency-Key must be 1 to 255 characters")
        }
        let now = Clock.unixMillis()
        let interaction = Interaction(id: InteractionID(unixMillis: now, random: Crypto.randomBytes(10)), tenant: tenant,
                                      channel: .api, receivedAt: now, from: body.from, text: body.text, service: body.service,
                                      fields: body.fields, idempotencyKey: key,
                                      requestID: request.requestID.isEmpty ? nil : request.requestID)
        let hash = key == nil ? nil : Hex.encode(Crypto.sha256(request.body))
        let record: InteractionRecord
        switch try await accept(interaction, requestHash: hash) {
        case .accepted(let stored):
            record = stored
            engine.execute(stored)
        case .replay(let stored):
            return HTTPResponse.json(["id": .string(stored.id.rawValue), "status": "accepted"], status: .accepted)
        case .keyReused(let id):
            throw HTTPError(.conflict, code: "idempotency_key_reused",
                            message: "Idempotency-Key \(key ?? "") was used for interaction \(id) with a different body")
        }
        if let wait = Self.preferredWait(request), wait > 0,
           let outcome = await engine.outcome(tenant: tenant, id: record.id, waitingUpTo: min(wait, maxWaitSeconds)) {
            var answer = TraceView.summary(outcome)
            answer["preference_applied"] = "wait"
            return HTTPResponse(status: .ok, headers: [("Content-Type", "application/json"), ("Preference-Applied", "wait=\(Int(wait))")],
                                body: JSON.object(answer).serializedBytes())
        }
        return HTTPResponse.json(["id": .string(record.id.rawValue), "status": "accepted"], status: .accepted)
    }

    func accept(_ interaction: Interaction, requestHash: String?) async throws -> AcceptResult {
        do {
            return try await store.accept(interaction, requestHash: requestHash)
        } catch {
            throw Self.unavailable(error)
        }
    }

    static func unavailable(_ error: StoreError) -> HTTPError {
        HTTPError(.serviceUnavailable, code: "store_unavailable",
                  message: "the interaction could not be stored durably; nothing was accepted — retry shortly",
                  headers: [("Retry-After", "2")])
    }

    /// `Prefer: wait=N` (RFC 7240).
    static func preferredWait(_ request: HTTPRequest) -> Double? {
        for value in request.headers.values(for: "Prefer") {
            for preference in value.split(separator: ",") {
                let parts = preference.split(separator: "=", maxSplits: 1).map { $0.trimmingSpacesAndTabs.lowercased() }
                if parts.count == 2, parts[0] == "wait", let seconds = Double(parts[1]), seconds >= 0 { return seconds }
            }
        }
        return nil
    }

    func show(_ request: HTTPRequest) async throws -> HTTPResponse {
        let tenant = request.parameters["tenant"] ?? ""
        let snapshot = try access.authorize(request, tenant: tenant, roles: [.api, .operator])
        try access.admit(snapshot)
        let id = try Self.interactionID(request)
        do {
            guard let record = try await store.interaction(tenant: tenant, id: id) else { throw Self.notFound(id) }
            let steps = try await store.steps(tenant: tenant, id: id)
            return HTTPResponse.json(TraceView.trace(record, steps: steps))
        } catch let error as StoreError {
            throw Self.unavailable(error)
        }
    }

    func list(_ request: HTTPRequest) async throws -> HTTPResponse {
        let tenant = request.parameters["tenant"] ?? ""
        let snapshot = try access.authorize(request, tenant: tenant, roles: [.api, .operator])
        try access.admit(snapshot)
        let query = request.queryItems
        var status: InteractionStatus?
        if let text = query["status"], !text.isEmpty {
            guard let parsed = InteractionStatus(rawValue: text) else {
                throw HTTPError(.unprocessableContent, code: "invalid_query",
                                message: "status: must be one of \(InteractionStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            status = parsed
        }
        var limit = 50
        if let text = query["limit"] {
            guard let value = Int(text), (1...500).contains(value) else {
                throw HTTPError(.unprocessableContent, code: "invalid_query", message: "limit: must be a whole number from 1 to 500")
            }
            limit = value
        }
        var since: Int64?
        if let text = query["since"], !text.isEmpty {
            guard let millis = Timestamp.parseISO8601(text) else {
                throw HTTPError(.unprocessableContent, code: "invalid_query", message: "since: must be an ISO 8601 time such as 2026-11-20T00:00:00Z")
            }
            since = millis
        }
        var cursor: String?
        if let text = query["cursor"], !text.isEmpty {
            guard InteractionID(text) != nil else {
                throw HTTPError(.unprocessableContent, code: "invalid_query", message: "cursor: not a cursor from this API")
            }
            cursor = text
        }
        let customer = query["customer"].flatMap { $0.isEmpty ? nil : ($0.contains("@") ? $0.lowercased() : $0) }
        do {
            let page = try await store.interactions(tenant: tenant, status: status, since: since, customer: customer,
                                                    limit: limit, cursor: cursor)
            return HTTPResponse.json(["data": .array(page.records.map { .object(TraceView.summary($0)) }),
                                      "next_cursor": page.nextCursor.map { .string($0) } ?? .null])
        } catch {
            throw Self.unavailable(error)
        }
    }

    func decide(_ request: HTTPRequest, approve: Bool) async throws -> HTTPResponse {
        let tenant = request.parameters["tenant"] ?? ""
        let snapshot = try access.authorize(request, tenant: tenant, roles: [.operator])
        try access.admit(snapshot)
        let id = try Self.interactionID(request)
        let body = request.body.isEmpty ? JSON.object([:]) : ((try? JSONParser.parse(request.body, maxDepth: 8)) ?? .null)
        guard body.objectValue != nil else {
            throw HTTPError(.badRequest, code: "malformed_body", message: "send a JSON object such as {\"by\":\"sam\",\"note\":\"ok\"} or no body")
        }
        let by = body["by"]?.stringValue ?? "operator"
        let note = body["note"]?.stringValue
        do {
            let record = try await engine.decide(tenant: tenant, id: id, approve: approve, by: by, note: note)
            return HTTPResponse.json(.object(TraceView.summary(record)))
        } catch {
            throw Self.httpError(error, id: id)
        }
    }

    func replay(_ request: HTTPRequest) async throws -> HTTPResponse {
        let tenant = request.parameters["tenant"] ?? ""
        let snapshot = try access.authorize(request, tenant: tenant, roles: [.operator])
        try access.admit(snapshot)
        let id = try Self.interactionID(request)
        do {
            let record = try await engine.replay(tenant: tenant, id: id)
            return HTTPResponse.json(.object(TraceView.summary(record)))
        } catch {
            throw Self.httpError(error, id: id)
        }
    }

    static func interactionID(_ request: HTTPRequest) throws(HTTPError) -> InteractionID {
        let text = request.parameters["id"] ?? ""
        guard let id = InteractionID(text) else { throw notFound(text) }
        return id
    }

    static func notFound(_ id: some CustomStringConvertible) -> HTTPError {
        HTTPError(.notFound, code: "not_found", message: "no interaction \(id)")
    }

    static func httpError(_ error: EngineError, id: InteractionID) -> HTTPError {
        switch error.kind {
        case .notFound: return notFound(id)
        case .conflict: return HTTPError(.conflict, code: "invalid_state", message: error.message)
        case .unavailable: return HTTPError(.serviceUnavailable, code: "unavailable", message: error.message, headers: [("Retry-After", "2")])
        }
    }
}
