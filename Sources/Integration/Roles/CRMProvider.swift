/// The system of record for customers (HubSpot CRM v3).
public protocol CRMProvider: Sendable {
    /// The first contact whose phone (or mobile phone) or email equals the query, or nil.
    func searchContact(_ query: ContactQuery, context: CallContext) async throws -> Contact?
    /// - Throws: `ProviderError` of kind `.conflict` when a contact with that email exists;
    ///   its `resourceID` names the existing contact when the provider says which.
    func createContact(properties: [String: String], context: CallContext) async throws -> Contact
    /// Sets the contact's properties. Tags (`Contact.tagsProperty`) are added to the tags the
    /// contact already has, whoever wrote them, never put in their place.
    func updateContact(id: String, properties: [String: String], context: CallContext) async throws -> Contact
    /// Writes a note on the contact's timeline.
    /// - Parameter timestamp: Unix milliseconds the note is dated at.
    func addNote(contactID: String, body: String, timestamp: Int64, context: CallContext) async throws -> CRMNote
}

public enum ContactQuery: Sendable, Equatable {
    case phone(String)
    case email(String)
}

public struct Contact: Sendable, Equatable {
    public var id: String
    /// HubSpot property names: `email`, `phone`, `firstname`, `lastname`, ...
    public var properties: [String: String]

    public init(id: String, properties: [String: String]) {
        self.id = id
        self.properties = properties
    }
}

extension Contact {
    /// The contact property holding its tags (`member`, `senior`): a HubSpot multiple-checkbox
    /// property, whose values are one `;`-separated string (`member;returning`).
    public static let tagsProperty = "switchboard_tags"

    /// The contact's tags, lowercased, in the order stored.
    public var tags: [String] {
        Self.tags(in: properties[Self.tagsProperty]).map { $0.lowercased() }
    }

    /// The values of a multi-value property (`;`-separated; `,` is accepted too), trimmed, empty ones dropped.
    public static func tags(in text: String?) -> [String] {
        (text ?? "").split(whereSeparator: { $0 == ";" || $0 == "," }).map(trimmed).filter { !$0.isEmpty }
    }

    private static func trimmed(_ text: Substring) -> String {
        var text = text
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }

    /// `existing` followed by the tags of `added` it lacks (compared case-insensitively), as one
    /// `;`-separated value.
    public static func mergingTags(_ existing: String?, _ added: String?) -> String {
        var merged = tags(in: existing)
        var seen = Set(merged.map { $0.lowercased() })
        for tag in tags(in: added) where seen.insert(tag.lowercased()).inserted { merged.append(tag) }
        return merged.joined(separator: ";")
    }
}

public struct CRMNote: Sendable, Equatable {
    public var id: String

    public init(id: String) {
        self.id = id
    }
}
