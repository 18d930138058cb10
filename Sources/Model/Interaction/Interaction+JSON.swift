extension Interaction {
    /// The stored and API form.
    public var json: JSON {
        var object: JSONObject = [
            "id": .string(id.rawValue),
            "tenant": .string(tenant),
            "channel": .string(channel.rawValue),
            "received_at": .int(receivedAt),
        ]
        var party = JSONObject()
        if let phone = from.phone { party["phone"] = .string(phone) }
        if let email = from.email { party["email"] = .string(email) }
        if let name = from.name { party["name"] = .string(name) }
        object["from"] = .object(party)
        if let text { object["text"] = .string(text) }
        if let service { object["service"] = .string(service) }
        if !fields.isEmpty { object["fields"] = .object(fields) }
        if let event {
            object["event"] = ["source": .string(event.source), "type": .string(event.type), "id": .string(event.id),
                               "payload": event.payload]
        }
        if let idempotencyKey { object["idempotency_key"] = .string(idempotencyKey) }
        if let submittedBy { object["submitted_by"] = .string(submittedBy) }
        if let requestID { object["request_id"] = .string(requestID) }
        return .object(object)
    }

    /// Reads the stored form back; nil if it is not one.
    public init?(json: JSON) {
        guard let idText = json["id"]?.stringValue, let id = InteractionID(idText),
              let tenant = json["tenant"]?.stringValue,
              let channel = json["channel"]?.stringValue.flatMap(Channel.init(rawValue:)),
              let receivedAt = json["received_at"]?.intValue
        else { return nil }
        let party = json["from"]
        var event: Event?
        if let e = json["event"], let source = e["source"]?.stringValue, let type = e["type"]?.stringValue,
           let eventID = e["id"]?.stringValue {
            event = Event(source: source, type: type, id: eventID, payload: e["payload"] ?? .null)
        }
        self.init(id: id, tenant: tenant, channel: channel, receivedAt: receivedAt,
                  from: Party(phone: party?["phone"]?.stringValue, email: party?["email"]?.stringValue,
                              name: party?["name"]?.stringValue),
                  text: json["text"]?.stringValue, service: json["service"]?.stringValue,
                  fields: json["fields"]?.objectValue ?? [:], event: event,
                  idempotencyKey: json["idempotency_key"]?.stringValue, submittedBy: json["submitted_by"]?.stringValue,
                  requestID: json["request_id"]?.stringValue)
    }
}
