import Model

/// HubSpot contacts and notes, per account (access token).
struct HubSpotStore: Sendable {
    struct Record: Sendable {
        var account: String
        var properties: [String: String]
        var createdAt: String
        var updatedAt: String
        var contactIDs: [String] = []
    }

    var contacts: [String: Record] = [:]
    var notes: [String: Record] = [:]
    var contactOrder: [String] = []
    private var nextID = 1001

    mutating func makeID() -> String {
        defer { nextID += 1 }
        return String(nextID)
    }

    func contactIDs(account: String) -> [String] {
        contactOrder.filter { contacts[$0]?.account == account }
    }

    /// The contact of `account` with this email (HubSpot compares emails case-insensitively).
    func contact(email: String, account: String, except: String? = nil) -> String? {
        let wanted = email.lowercased()
        return contactIDs(account: account).first { id in
            id != except && contacts[id]?.properties["email"]?.lowercased() == wanted
        }
    }

    /// A `SimplePublicObject`; `only` limits the properties returned (searches).
    static func object(id: String, _ record: Record, only: [String]? = nil) -> JSON {
        var properties = record.properties
        properties["hs_object_id"] = id
        var shown = JSONObject()
        for name in (only ?? properties.keys.sorted()) {
            shown[name] = properties[name].map { .string($0) } ?? .null
        }
        return ["id": .string(id), "properties": .object(shown), "createdAt": .string(record.createdAt),
                "updatedAt": .string(record.updatedAt), "archived": false]
    }

    var summary: JSON {
        var notesPerContact: [String: Int64] = [:]
        for note in notes.values { for id in note.contactIDs { notesPerContact[id, default: 0] += 1 } }
        return ["contacts": .int(Int64(contacts.count)), "notes": .int(Int64(notes.count)),
                "notes_per_contact": .object(JSONObject(notesPerContact.sorted { $0.key < $1.key }.map { (key: $0.key, value: JSON.int($0.value)) })),
                "contacts_list": .array(contactOrder.compactMap { id in contacts[id].map { HubSpotStore.object(id: id, $0) } })]
    }
}
