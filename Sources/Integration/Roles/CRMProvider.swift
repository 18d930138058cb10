/// The system of record for customers (HubSpot CRM v3).
public protocol CRMProvider: Sendable {
    /// The first contact whose phone (or mobile phone) or email equals the query, or nil.
    func searchContact(_ query: ContactQuery, context: CallContext) async throws -> Contact?
    /// - Throws: `ProviderError` of kind `.conflict` when a contact with that email exists;
    ///   its `resourceID` names the existing contact when the provider says which.
    func createContact(properties: [String: String], context: CallContext) async throws -> Contact
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

public struct CRMNote: Sendable, Equatable {
    public var id: String

    public init(id: String) {
        self.id = id
    }
}
