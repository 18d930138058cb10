import Model

/// `CRMProvider` over HubSpot CRM v3: contacts search, create and update, and notes associated
/// with a contact. JSON bodies and a Bearer private-app (or OAuth) token.
public struct HubSpotCRM: CRMProvider {
    public struct Configuration: Sendable {
        /// `https://api.hubapi.com`, or the sandbox's `<base>/hubspot`.
        public var baseURL: String
        public var accessToken: String
        public var name: String
        public var policy: ResiliencePolicy
        /// Contact properties returned by searches: HubSpot answers only those asked for (and a
        /// few of its own), so the tags must be among them.
        public var properties: [String]
        public var caFile: String?

        public init(baseURL: String, accessToken: String, name: String = "hubspot", policy: ResiliencePolicy = .hubspot,
                    properties: [String] = ["email", "phone", "mobilephone", "firstname", "lastname", Contact.tagsProperty], caFile: String? = nil) {
            self.baseURL = baseURL
            self.accessToken = accessToken
            self.name = name
            self.policy = policy
            self.properties = properties
            self.caFile = caFile
        }
    }

    /// HubSpot-defined association type of a note to a contact.
    public static let noteToContactAssociationTypeID: Int64 = 202

    public let configuration: Configuration
    let runtime: IntegrationRuntime

    public init(configuration: Configuration, runtime: IntegrationRuntime) {
        self.configuration = configuration
        self.runtime = runtime
    }

    public func searchContact(_ query: ContactQuery, context: CallContext) async throws -> Contact? {
        // Filter groups are ORed: a phone may sit in `phone` or in `mobilephone`.
        let groups: [JSON]
        switch query {
        case .email(let email):
            groups = [["filters": [["propertyName": "email", "operator": "EQ", "value": .string(email)]]]]
        case .phone(let phone):
            groups = ["phone", "mobilephone"].map { property in
                ["filters": [["propertyName": .string(property), "operator": "EQ", "value": .string(phone)]]]
            }
        }
        let body: JSON = ["filterGroups": .array(groups), "properties": .array(configuration.properties.map { .string($0) }),
                          "sorts": [], "limit": 1, "after": "0"]
        return try await send("POST", "/crm/v3/objects/contacts/search", body, operation: "searchContact", safety: .idempotent,
                              context: context) { json -> Contact?? in
            guard let results = json["results"]?.arrayValue else { return nil }
            return .some(results.first.flatMap(Self.contact))
        }
    }

    public func createContact(properties: [String: String], context: CallContext) async throws -> Contact {
        let body: JSON = ["properties": ProviderAnswer.object(properties), "associations": []]
        // Not idempotent at HubSpot; a duplicate email answers 409, which the engine can act on.
        return try await send("POST", "/crm/v3/objects/contacts", body, operation: "createContact", safety: .unsafe,
                              context: context, decode: Self.contact)
    }

    public func updateContact(id: String, properties: [String: String], context: CallContext) async throws -> Contact {
        var properties = properties
        if let added = properties[Contact.tagsProperty] {
            // A PATCH replaces a multiple-checkbox property's value: send the tags the contact has
            // (set by anyone) together with the new ones.
            let current = try await tags(ofContact: id, context: context.forSubstep("tags"))
            properties[Contact.tagsProperty] = Contact.mergingTags(current, added)
        }
        let body: JSON = ["properties": ProviderAnswer.object(properties)]
        return try await send("PATCH", "/crm/v3/objects/contacts/" + FormBody.percentEncode(id), body, operation: "updateContact",
                              safety: .idempotent, context: context, decode: Self.contact)
    }

    /// The contact's tags property as stored, nil when the contact or the property is missing.
    private func tags(ofContact id: String, context: CallContext) async throws -> String? {
        let filter: JSON = ["propertyName": "hs_object_id", "operator": "EQ", "value": .string(id)]
        let body: JSON = ["filterGroups": [["filters": [filter]]], "properties": [.string(Contact.tagsProperty)],
                          "sorts": [], "limit": 1, "after": "0"]
        return try await send("POST", "/crm/v3/objects/contacts/search", body, operation: "searchContact", safety: .idempotent,
                              context: context) { json -> String?? in
            guard let results = json["results"]?.arrayValue else { return nil }
            return .some(results.first.flatMap(Self.contact)?.properties[Contact.tagsProperty])
        }
    }

    public func addNote(contactID: String, body text: String, timestamp: Int64, context: CallContext) async throws -> CRMNote {
        let association: JSON = ["to": ["id": .string(contactID)],
                                 "types": [["associationCategory": "HUBSPOT_DEFINED",
                                            "associationTypeId": .int(Self.noteToContactAssociationTypeID)]]]
        let body: JSON = ["properties": ["hs_timestamp": .string(Timestamp.iso8601(millis: timestamp)), "hs_note_body": .string(text)],
                          "associations": [association]]
        return try await send("POST", "/crm/v3/objects/notes", body, operation: "addNote", safety: .unsafe, context: context) { json in
            json["id"]?.stringValue.map { CRMNote(id: $0) }
        }
    }

    private func send<Value: Sendable>(_ method: String, _ path: String, _ body: JSON, operation name: String, safety: RetrySafety,
                                       context: CallContext, decode: @escaping @Sendable (JSON) -> Value?) async throws -> Value {
        var request = HTTPClient.Request(method: method, url: ProviderAnswer.join(configuration.baseURL, path), caFile: configuration.caFile)
        request.setJSON(body)
        request.authorize(.bearer(configuration.accessToken))
        let operation = ProviderOperation(provider: "hubspot", integration: configuration.name, name: name, safety: safety,
                                          policy: configuration.policy, secrets: [configuration.accessToken],
                                          idempotencyKey: safety == .unsafe ? context.idempotencyKey(for: "hubspot.\(name)") : nil)
        return try await runtime.perform(operation, request, context: context) { response in
            guard response.isSuccess else { return .failure(Self.error(response, operation: name)) }
            guard let json = response.json, let value = decode(json) else {
                return .failure(ProviderAnswer.malformed(response, provider: "hubspot", operation: name, expected: "CRM object"))
            }
            return .success(value)
        }
    }

    static func contact(_ json: JSON) -> Contact? {
        guard let id = json["id"]?.stringValue else { return nil }
        return Contact(id: id, properties: ProviderAnswer.strings(json["properties"]))
    }

    /// `{"status":"error","message","correlationId","category"}`; a 429 adds `policyName`.
    static func error(_ response: HTTPClient.Response, operation: String) -> ProviderError {
        let body = response.json
        let category = body?["category"]?.stringValue ?? body?["errorType"]?.stringValue
        let message = body?["message"]?.stringValue
        var retryAfter: Double?
        if response.status == 429 {
            switch body?["policyName"]?.stringValue {
            case "DAILY": retryAfter = 3600
            case "TEN_SECONDLY_ROLLING": retryAfter = 10
            default: retryAfter = ProviderAnswer.retryAfterSeconds(response.header("Retry-After")) ?? 1
            }
        }
        var error = ProviderAnswer.error(response, provider: "hubspot", operation: operation, code: category, message: message,
                                         retryAfter: retryAfter)
        if error.kind == .conflict, let message, let range = message.firstRange(of: "Existing ID: ") {
            error.resourceID = String(message[range.upperBound...].prefix { $0.isNumber })
        }
        return error
    }
}
