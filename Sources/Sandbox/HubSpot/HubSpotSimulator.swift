import HTTP
import Model
import Synchronization

/// Simulated HubSpot CRM v3 under `/hubspot`: contact search, create (409 on a duplicate email),
/// update, and notes associated with contacts (association type 202).
final class HubSpotSimulator: Sendable {
    let store = Mutex(HubSpotStore())
    private let context: SandboxContext

    init(context: SandboxContext) {
        self.context = context
    }

    func register(on routes: RouterBuilder) {
        let faults = context.faults
        routes.add(.post, "/hubspot/crm/v3/objects/contacts/search", faults.guarded(.hubspot) { [self] request in
            try search(request)
        })
        routes.add(.post, "/hubspot/crm/v3/objects/contacts", faults.guarded(.hubspot) { [self] request in
            try createContact(request)
        })
        routes.add(.get, "/hubspot/crm/v3/objects/contacts/{contactId}", faults.guarded(.hubspot) { [self] request in
            let account = try Self.account(request)
            let id = request.parameters["contactId"] ?? ""
            guard let record = store.withLock({ $0.contacts[id] }), record.account == account else { throw Self.notFound() }
            return .json(HubSpotStore.object(id: id, record))
        })
        routes.add(.patch, "/hubspot/crm/v3/objects/contacts/{contactId}", faults.guarded(.hubspot) { [self] request in
            try updateContact(request)
        })
        routes.add(.post, "/hubspot/crm/v3/objects/notes", faults.guarded(.hubspot) { [self] request in
            try createNote(request)
        })
    }

    static func account(_ request: HTTPRequest) throws -> String {
        guard let token = request.bearerToken, !token.contains("revoked") else {
            throw error(401, "INVALID_AUTHENTICATION", "Authentication credentials not found. This API supports OAuth 2.0 authentication and "
                        + "you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview")
        }
        return token
    }

    private func body(_ request: HTTPRequest) throws -> JSON {
        guard request.mediaType == "application/json", let json = request.json, json.objectValue != nil else {
            throw Self.error(400, "VALIDATION_ERROR", "Invalid input JSON on line 1: the body must be a JSON object")
        }
        return json
    }

    private func properties(_ json: JSON) throws -> [String: String] {
        guard let object = json["properties"]?.objectValue else {
            throw Self.error(400, "VALIDATION_ERROR", "Invalid input JSON: 'properties' is required and must be an object")
        }
        var out: [String: String] = [:]
        for member in object where !member.value.isNull { out[member.key] = member.value.textValue }
        return out
    }

    private func search(_ request: HTTPRequest) throws -> HTTPResponse {
        let account = try Self.account(request)
        let json = try body(request)
        let groups = json["filterGroups"]?.arrayValue ?? []
        let limit = min(max(Int(json["limit"]?.intValue ?? 10), 1), 200)
        let offset = Int(json["after"]?.textValue ?? "0") ?? 0
        let returned = json["properties"]?.arrayValue?.compactMap(\.stringValue)
        let query = json["query"]?.stringValue?.lowercased()
        for group in groups {
            for filter in group["filters"]?.arrayValue ?? [] where !Self.operators.contains(filter["operator"]?.stringValue ?? "") {
                throw Self.error(400, "VALIDATION_ERROR", "Unsupported filter operator: \(filter["operator"]?.textValue ?? "missing")")
            }
        }
        let matches = store.withLock { store -> [JSON] in
            // Groups (ORed) that each start with an equality on an indexed property: look those up
            // instead of scanning; every filter is still checked on the candidates below.
            var candidates: [String]
            let lookups = groups.compactMap { group -> (String, String)? in
                guard let first = group["filters"]?.arrayValue?.first, first["operator"]?.stringValue == "EQ",
                      let property = first["propertyName"]?.stringValue, ContactTable.indexed.contains(property),
                      let value = first["value"]?.textValue else { return nil }
                return (property, value)
            }
            if !groups.isEmpty, lookups.count == groups.count, query == nil {
                var seen = Set<String>()
                candidates = lookups.flatMap { store.contacts.ids(account: account, property: $0.0, value: $0.1) }
                    .filter { seen.insert($0).inserted }
                    .sorted { (Int($0) ?? 0) < (Int($1) ?? 0) }
            } else {
                candidates = store.contactIDs(account: account)
            }
            return candidates.compactMap { id -> JSON? in
                guard let record = store.contacts[id] else { return nil }
                var filterable = record.properties
                filterable["hs_object_id"] = id
                let byFilters = groups.isEmpty || groups.contains { group in
                    (group["filters"]?.arrayValue ?? []).allSatisfy { Self.matches($0, filterable) }
                }
                let byQuery = query.map { text in record.properties.values.contains { $0.lowercased().contains(text) } } ?? true
                guard byFilters && byQuery else { return nil }
                return HubSpotStore.object(id: id, record, only: Self.returnedProperties(asked: returned))
            }
        }
        var answer: JSONObject = ["total": .int(Int64(matches.count)),
                                  "results": .array(Array(matches.dropFirst(offset).prefix(limit)))]
        if offset + limit < matches.count {
            answer["paging"] = ["next": ["after": .string(String(offset + limit)), "link": .string("?after=\(offset + limit)")]]
        }
        return .json(.object(answer))
    }

    static let operators: Set<String> = ["EQ", "NEQ", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN", "HAS_PROPERTY", "NOT_HAS_PROPERTY", "IN", "NOT_IN"]
    static let defaultProperties = ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"]
    /// Returned by a search whatever it asks for.
    static let alwaysReturned = ["createdate", "hs_object_id", "lastmodifieddate"]

    /// What a search answers, like HubSpot: the properties it asks for (null when unset) and
    /// `alwaysReturned`; nothing else, so a property not asked for never comes back. A search
    /// asking for none gets `defaultProperties`.
    static func returnedProperties(asked: [String]?) -> [String] {
        guard let asked, !asked.isEmpty else { return defaultProperties }
        var seen = Set<String>()
        return (asked + alwaysReturned).filter { seen.insert($0).inserted }
    }

    static func matches(_ filter: JSON, _ properties: [String: String]) -> Bool {
        let name = filter["propertyName"]?.stringValue ?? ""
        let actual = properties[name]?.lowercased()
        let value = filter["value"]?.textValue.lowercased() ?? ""
        let values = filter["values"]?.arrayValue?.map { $0.textValue.lowercased() } ?? []
        switch filter["operator"]?.stringValue {
        case "EQ": return actual == value
        case "NEQ": return actual != value
        case "CONTAINS_TOKEN": return actual?.contains(value.replacing("*", with: "")) ?? false
        case "NOT_CONTAINS_TOKEN": return !(actual?.contains(value.replacing("*", with: "")) ?? false)
        case "HAS_PROPERTY": return actual != nil
        case "NOT_HAS_PROPERTY": return actual == nil
        case "IN": return actual.map(values.contains) ?? false
        case "NOT_IN": return !(actual.map(values.contains) ?? false)
        default: return false
        }
    }

    private func createContact(_ request: HTTPRequest) throws -> HTTPResponse {
        let account = try Self.account(request)
        let properties = try properties(try body(request))
        let now = SandboxTime.isoNow()
        let id = try store.withLock { store -> String in
            if let email = properties["email"], let existing = store.contact(email: email, account: account) {
                throw Self.error(409, "CONFLICT", "Contact already exists. Existing ID: \(existing)")
            }
            let id = store.makeID()
            var all = properties
            all["createdate"] = now
            all["lastmodifieddate"] = now
            store.contacts[id] = HubSpotStore.Record(account: account, properties: all, createdAt: now, updatedAt: now)
            store.contactOrder.append(id)
            return id
        }
        return .json(HubSpotStore.object(id: id, store.withLock { $0.contacts[id]! }), status: .created)
    }

    private func updateContact(_ request: HTTPRequest) throws -> HTTPResponse {
        let account = try Self.account(request)
        let properties = try properties(try body(request))
        let id = request.parameters["contactId"] ?? ""
        let record = try store.withLock { store -> HubSpotStore.Record in
            guard var record = store.contacts[id], record.account == account else { throw Self.notFound() }
            if let email = properties["email"], let existing = store.contact(email: email, account: account, except: id) {
                throw Self.error(409, "CONFLICT", "Contact already exists. Existing ID: \(existing)")
            }
            for (name, value) in properties { record.properties[name] = value }
            record.updatedAt = SandboxTime.isoNow()
            record.properties["lastmodifieddate"] = record.updatedAt
            store.contacts[id] = record
            return record
        }
        return .json(HubSpotStore.object(id: id, record))
    }

    private func createNote(_ request: HTTPRequest) throws -> HTTPResponse {
        let account = try Self.account(request)
        let json = try body(request)
        var properties = try properties(json)
        guard let stamp = properties["hs_timestamp"] else {
            throw Self.error(400, "VALIDATION_ERROR", "Property values were not valid: hs_timestamp is required")
        }
        guard let millis = Int64(stamp) ?? Timestamp.parseISO8601(stamp) else {
            throw Self.error(400, "VALIDATION_ERROR", "Property values were not valid: \(stamp) is not a valid hs_timestamp")
        }
        properties["hs_timestamp"] = Timestamp.iso8601(millis: millis)
        var contactIDs: [String] = []
        for association in json["associations"]?.arrayValue ?? [] {
            guard let target = association.value(at: "to.id")?.textValue,
                  let types = association["types"]?.arrayValue, !types.isEmpty else {
                throw Self.error(400, "VALIDATION_ERROR", "Each association needs to.id and types")
            }
            for type in types where type["associationTypeId"]?.intValue != 202 || type["associationCategory"]?.stringValue != "HUBSPOT_DEFINED" {
                throw Self.error(400, "VALIDATION_ERROR", "The sandbox supports note-to-contact associations only (HUBSPOT_DEFINED 202)")
            }
            contactIDs.append(target)
        }
        let now = SandboxTime.isoNow()
        let (id, record) = try store.withLock { store -> (String, HubSpotStore.Record) in
            for contact in contactIDs where store.contacts[contact]?.account != account {
                throw Self.error(400, "VALIDATION_ERROR", "One or more associations are invalid: contact \(contact) does not exist")
            }
            let id = store.makeID()
            var all = properties
            all["hs_createdate"] = now
            all["hs_lastmodifieddate"] = now
            let record = HubSpotStore.Record(account: account, properties: all, createdAt: now, updatedAt: now, contactIDs: contactIDs)
            store.notes[id] = record
            return (id, record)
        }
        return .json(HubSpotStore.object(id: id, record), status: .created)
    }

    static func notFound() -> SandboxAnswer { error(404, "OBJECT_NOT_FOUND", "resource not found") }

    /// `{"status":"error","message","correlationId","category"}`.
    static func error(_ status: Int, _ category: String, _ message: String) -> SandboxAnswer {
        SandboxAnswer(.json(["status": "error", "message": .string(message), "correlationId": .string(SandboxIDs.uuid()),
                             "category": .string(category)], status: HTTPStatus(status)))
    }
}
