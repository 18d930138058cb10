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

    var contacts = ContactTable()
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
        contacts.ids(account: account, property: "email", value: email).first { $0 != except }
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

/// Contacts by id, with the properties searches usually filter on (email, phone, mobile phone)
/// indexed per account, so a lookup does not scan every contact.
struct ContactTable: Sendable {
    static let indexed = ["email", "phone", "mobilephone"]

    private var byID: [String: HubSpotStore.Record] = [:]
    private var index: [String: [String]] = [:]

    private static func key(_ account: String, _ property: String, _ value: String) -> String {
        "\(account)|\(property)|\(value.lowercased())"
    }

    subscript(id: String) -> HubSpotStore.Record? {
        get { byID[id] }
        set {
            if let old = byID[id] {
                for property in Self.indexed {
                    if let value = old.properties[property] { index[Self.key(old.account, property, value)]?.removeAll { $0 == id } }
                }
            }
            byID[id] = newValue
            if let new = newValue {
                for property in Self.indexed {
                    if let value = new.properties[property] { index[Self.key(new.account, property, value), default: []].append(id) }
                }
            }
        }
    }

    /// Contacts of `account` whose `property` equals `value` (case-insensitively), oldest first.
    func ids(account: String, property: String, value: String) -> [String] {
        index[Self.key(account, property, value)] ?? []
    }

    var count: Int { byID.count }
}
