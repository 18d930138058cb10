import Model

/// The body of `POST /v1/tenants/{tenant}/interactions`:
/// `{"channel":"api","from":{"phone","email","name"},"text":"...","service":"...","fields":{...}}`.
public struct APIInteractionRequest: Sendable, Equatable {
    public var from: Interaction.Party
    public var text: String?
    public var service: String?
    public var fields: JSONObject

    static let maxTextBytes = 4096
    static let allowedKeys: Set<String> = ["channel", "from", "text", "service", "fields"]

    /// Parses and checks the body, naming the first field that is wrong and why.
    public static func parse(_ body: [UInt8]) throws(NormalisationError) -> APIInteractionRequest {
        let json: JSON
        do {
            json = try JSONParser.parse(body, maxDepth: 16)
        } catch {
            throw .malformed("the body is not valid JSON: \(error.description)")
        }
        guard let object = json.objectValue else { throw .invalid("body", "must be a JSON object") }
        for key in object.keys where !allowedKeys.contains(key) {
            throw .invalid(key, "unknown field; allowed: channel, from, text, service, fields")
        }
        if let channel = object["channel"] {
            guard channel.stringValue == "api" else { throw .invalid("channel", "must be \"api\" on this endpoint") }
        }
        let from = try parseParty(object["from"])
        let text = try optionalString(object["text"], field: "text", maxBytes: maxTextBytes)
        let service = try optionalString(object["service"], field: "service", maxBytes: 64)
        var fields = JSONObject()
        if let value = object["fields"], !value.isNull {
            guard let object = value.objectValue else { throw .invalid("fields", "must be an object") }
            guard value.serializedBytes().count <= 16 * 1024 else { throw .invalid("fields", "must be at most 16 KiB") }
            fields = object
        }
        guard (text?.isEmpty == false) || service != nil else {
            throw .invalid("text", "required unless service is given")
        }
        return APIInteractionRequest(from: from, text: text, service: service, fields: fields)
    }

    private static func parseParty(_ value: JSON?) throws(NormalisationError) -> Interaction.Party {
        guard let value, !value.isNull else { throw .invalid("from", "required: an object with phone and/or email") }
        guard let object = value.objectValue else { throw .invalid("from", "must be an object") }
        for key in object.keys where !["phone", "email", "name"].contains(key) {
            throw .invalid("from.\(key)", "unknown field; allowed: phone, email, name")
        }
        let phone = try optionalString(object["phone"], field: "from.phone", maxBytes: 32)
        let email = try optionalString(object["email"], field: "from.email", maxBytes: 254)
        let name = try optionalString(object["name"], field: "from.name", maxBytes: 200)
        if let phone, !PhoneNumber.isE164(phone) {
            throw .invalid("from.phone", "must be an E.164 number such as +14155550100")
        }
        if let email, !EmailAddressCheck.isPlausible(email) { throw .invalid("from.email", "is not an email address") }
        guard phone != nil || email != nil else { throw .invalid("from", "needs a phone or an email to reach the customer") }
        return Interaction.Party(phone: phone, email: email?.lowercased(), name: name)
    }

    private static func optionalString(_ value: JSON?, field: String, maxBytes: Int) throws(NormalisationError) -> String? {
        guard let value, !value.isNull else { return nil }
        guard let string = value.stringValue else { throw .invalid(field, "must be a string, got \(value.kindName)") }
        guard string.utf8.count <= maxBytes else { throw .invalid(field, "must be at most \(maxBytes) bytes") }
        return string
    }
}
