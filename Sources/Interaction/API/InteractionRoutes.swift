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
        let caller = try access.authorize(request, tenant: tenant, roles: [.api])
        return try await HTTPResponse.attributed(to: caller.keyName) {
            let snapshot = caller.snapshot
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
                                          fields: body.fields, idempotencyKey: key, submittedBy: caller.keyName,
                                          requestID: request.requestID.isEmpty ? nil : request.requestID)
            let hash = key == nil ? nil : Hex.encode(Crypto.sha256(request.body))
            guard engine.hasRoom(for: snapshot) else { throw Self.backlogFull(snapshot, engine: engine) }
            switch try await accept(interaction, requestHash: hash) {
            case .accepted(let stored):
                engine.execute(stored)
                return await answer(stored, to: request, caller: caller, isReplay: false)
            case .replay(let stored) where caller.mayRead(stored.interaction):
                return await answer(stored, to: request, caller: caller, isReplay: true)
            case .keyReused(let stored) where caller.mayRead(stored.interaction):
                throw HTTPError(.conflict, code: "idempotency_key_reused",
                                message: "Idempotency-Key \(key ?? "") was used for interaction \(stored.id) with a different body")
            case .replay, .keyReused:
                // Another key's request: neither its id nor its outcome is this caller's to see.
                throw HTTPError(.conflict, code: "idempotency_key_reused",
                                message: "Idempotency-Key \(key ?? "") is already used by another of this tenant's keys; choose a new one")
            }
        }
    }

    /// The answer to a create request: with `Prefer: wait=N`, 200 and the outcome once the
    /// interaction ends or waits within N seconds; otherwise 202. A replay (the same
    /// Idempotency-Key and body again) answers the interaction as it stands now, with
    /// `Idempotent-Replayed: true`: 200 and its outcome when it has already stopped, whether or
    /// not the retry asks to wait, and otherwise as a fresh request would be, with its status now.
    func answer(_ record: InteractionRecord, to request: HTTPRequest, caller: TenantPrincipal, isReplay: Bool) async -> HTTPResponse {
        var headers: [(String, String)] = [("Content-Type", "application/json")]
        if isReplay { headers.append(("Idempotent-Replayed", "true")) }
        let wait = Self.preferredWait(request) ?? 0
        if wait > 0, let outcome = await engine.outcome(tenant: record.tenant, id: record.id, waitingUpTo: min(wait, maxWaitSeconds)) {
            var answer = TraceView.summary(outcome, for: caller.role)
            answer["preference_applied"] = "wait"
            headers.append(("Preference-Applied", "wait=\(Int(wait))"))
            return HTTPResponse(status: .ok, headers: headers, body: JSON.object(answer).serializedBytes())
        }
        var status = InteractionStatus.accepted
        if isReplay {
            // After a wait that timed out, read it again: it may have moved on meanwhile.
            let current = wait > 0 ? ((try? await store.interaction(tenant: record.tenant, id: record.id)) ?? record) : record
            if current.status != .accepted, current.status != .running {
                return HTTPResponse(status: .ok, headers: headers, body: JSON.object(TraceView.summary(current, for: caller.role)).serializedBytes())
            }
            status = current.status
        }
        return HTTPResponse(status: .accepted, headers: headers,
                            body: JSON.object(["id": .string(record.id.rawValue), "status": .string(status.rawValue)]).serializedBytes())
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

    /// 503 for new work while the tenant's backlog is full: nothing was stored, and the sender
    /// is told when to try again.
    static func backlogFull(_ snapshot: TenantSnapshot, engine: Engine) -> HTTPError {
        let limits = snapshot.config.access.limits
        return HTTPError(.serviceUnavailable, code: "backlog_full",
                         message: "tenant \(snapshot.id) has \(limits.maxBacklog) interactions waiting for an execution slot "
                             + "(access.limits.max_backlog); nothing was accepted — retry after the time in Retry-After",
                         headers: [("Retry-After", String(engine.backlogRetryAfter(for: snapshot)))])
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

    /// `GET …/interactions/{id}`: the whole trace for operators and viewers; for an `api` key,
    /// the summary of an interaction it submitted (any other is 404, as if it did not exist).
    func show(_ request: HTTPRequest) async throws -> HTTPResponse {
        let tenant = request.parameters["tenant"] ?? ""
        let caller = try access.authorize(request, tenant: tenant, roles: [.api, .operator, .viewer])
        return try await HTTPResponse.attributed(to: caller.keyName) {
            try access.admit(caller)
            let id = try Self.interactionID(request)
            do {
                guard let record = try await store.interaction(tenant: tenant, id: id), caller.mayRead(record.interaction) else {
                    throw Self.notFound(id)
                }
                if caller.role == .api { return HTTPResponse.json(.object(TraceView.summary(record, for: .api))) }
                let steps = try await store.steps(tenant: tenant, id: id)
                return HTTPResponse.json(TraceView.trace(record, steps: steps))
            } catch let error as StoreError {
                throw Self.unavailable(error)
            }
        }
    }

    /// `GET …/interactions`: newest first, filtered, for operators and viewers. An `api` key may
    /// only look up one of its own requests with `?idempotency_key=`.
    func list(_ request: HTTPRequest) async throws -> HTTPResponse {
        let tenant = request.parameters["tenant"] ?? ""
        let caller = try access.authorize(request, tenant: tenant, roles: [.api, .operator, .viewer])
        return try await HTTPResponse.attributed(to: caller.keyName) {
            try access.admit(caller)
            let query = request.queryItems
            if let key = query["idempotency_key"] { return try await lookUp(idempotencyKey: key, tenant: tenant, caller: caller) }
            guard caller.role != .api else {
                throw HTTPError(.forbidden, code: "forbidden",
                                message: "listing interactions needs an operator or viewer key; the key \"\(caller.keyName)\" has the api role, "
                                    + "which reads its own requests by id or with ?idempotency_key=")
            }
            let status = try QueryParameters.choice(query, "status", as: InteractionStatus.self)
            let limit = try QueryParameters.limit(query)
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
            } catch let error as StoreError {
                throw Self.unavailable(error)
            }
        }
    }

    /// The API request a caller sent with `Idempotency-Key: key`, as a one-item page (empty when
    /// there is none the caller may read).
    func lookUp(idempotencyKey key: String, tenant: String, caller: TenantPrincipal) async throws -> HTTPResponse {
        guard !key.isEmpty, key.utf8.count <= 255 else {
            throw HTTPError(.unprocessableContent, code: "invalid_query", message: "idempotency_key: must be 1 to 255 characters")
        }
        do {
            let found = try await store.interaction(tenant: tenant, channel: .api, idempotencyKey: key)
            let records = [found].compactMap { $0 }.filter { caller.mayRead($0.interaction) }
            return HTTPResponse.json(["data": .array(records.map { .object(TraceView.summary($0, for: caller.role)) }), "next_cursor": .null])
        } catch {
            throw Self.unavailable(error)
        }
    }

    func decide(_ request: HTTPRequest, approve: Bool) async throws -> HTTPResponse {
        let tenant = request.parameters["tenant"] ?? ""
        let caller = try access.authorize(request, tenant: tenant, roles: [.operator])
        return try await HTTPResponse.attributed(to: caller.keyName) {
            try access.admit(caller)
            let id = try Self.interactionID(request)
            let body = request.body.isEmpty ? JSON.object([:]) : ((try? JSONParser.parse(request.body, maxDepth: 8)) ?? .null)
            guard body.objectValue != nil else {
                throw HTTPError(.badRequest, code: "malformed_body", message: "send a JSON object such as {\"by\":\"sam\",\"note\":\"ok\"} or no body")
            }
            // Who decided as the operator wrote it, or else the key's name.
            let by = body["by"]?.stringValue ?? caller.keyName
            let note = body["note"]?.stringValue
            var detail: JSONObject = ["by": .string(by)]
            detail["note"] = note.map { .string($0) } ?? .null
            let action: AuditEntry.Action = approve ? .approve : .reject
            do {
                let record = try await engine.decide(tenant: tenant, id: id, approve: approve, by: by, note: note)
                await audit(caller, action, id, outcome: "done", detail: detail)
                return HTTPResponse.json(.object(TraceView.summary(record)))
            } catch let error as EngineError {
                let refusal = Self.httpError(error, id: id)
                await audit(caller, action, id, outcome: refusal.message, detail: detail)
                throw refusal
            }
        }
    }

    func replay(_ request: HTTPRequest) async throws -> HTTPResponse {
        let tenant = request.parameters["tenant"] ?? ""
        let caller = try access.authorize(request, tenant: tenant, roles: [.operator])
        return try await HTTPResponse.attributed(to: caller.keyName) {
            try access.admit(caller)
            let id = try Self.interactionID(request)
            do {
                let record = try await engine.replay(tenant: tenant, id: id, by: caller.keyName)
                await audit(caller, .replay, id, outcome: "done")
                return HTTPResponse.json(.object(TraceView.summary(record)))
            } catch let error as EngineError {
                let refusal = Self.httpError(error, id: id)
                await audit(caller, .replay, id, outcome: refusal.message)
                throw refusal
            }
        }
    }

    /// Records an operator action in the tenant's audit log, refused ones too. The action has
    /// already happened (or not) by now, so a journal that cannot take the line is logged rather
    /// than turned into an error for something that was done.
    func audit(_ caller: TenantPrincipal, _ action: AuditEntry.Action, _ id: InteractionID, outcome: String,
               detail: JSONObject = [:]) async {
        let entry = AuditEntry(tenant: caller.snapshot.id.rawValue, at: Clock.unixMillis(), actor: caller.keyName, action: action,
                               target: id.rawValue, outcome: outcome, detail: detail)
        do {
            try await store.audit(entry)
        } catch {
            Self.logger.error("an operator action could not be written to the audit log",
                              ["tenant": .string(entry.tenant), "action": .string(action.rawValue), "interaction": .string(id.rawValue),
                               "key": .string(caller.keyName), "error": .string(error.description)])
        }
    }

    static let logger = Logger(label: "audit")

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
