import Model
import Testing

/// HubSpot's search answers only the properties asked for, over raw HTTP.
@Suite(.timeLimit(.minutes(1)))
struct HubSpotSimulatorTests {
    static let auth = [("Authorization", "Bearer pat-simulator-tests")]

    static func search(_ client: SandboxClient, properties: [JSON]?) async throws -> JSON {
        var body: JSONObject = ["filterGroups": [["filters": [["propertyName": "phone", "operator": "EQ", "value": "+14155550123"]]]]]
        if let properties { body["properties"] = .array(properties) }
        let (status, answer) = try await client.json("POST", "/hubspot/crm/v3/objects/contacts/search", .object(body), headers: Self.auth)
        #expect(status == 200, "\(answer)")
        return answer.value(at: "results.0.properties") ?? .null
    }

    @Test func search_returnsOnlyThePropertiesAskedFor_andHubSpotsOwn() async throws {
        let client = try SandboxClient()
        let created = try await client.json("POST", "/hubspot/crm/v3/objects/contacts",
                                            ["properties": ["phone": "+14155550123", "firstname": "Ann", "switchboard_tags": "member"]],
                                            headers: Self.auth)
        #expect(created.0 == 201, "\(created.1)")

        let asked = try await Self.search(client, properties: ["phone", "email"])
        #expect(asked.objectValue?.keys.sorted() == ["createdate", "email", "hs_object_id", "lastmodifieddate", "phone"], "\(asked)")
        #expect(asked["email"] == .null)  // asked for and unset: null, as HubSpot answers
        #expect(asked["switchboard_tags"] == nil)

        let withTags = try await Self.search(client, properties: ["switchboard_tags"])
        #expect(withTags["switchboard_tags"] == "member")

        let defaults = try await Self.search(client, properties: nil)
        #expect(defaults.objectValue?.keys.sorted() == ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"])
        try await client.stop()
    }

    @Test func search_filtersOnTheObjectID() async throws {
        let client = try SandboxClient()
        _ = try await client.json("POST", "/hubspot/crm/v3/objects/contacts", ["properties": ["email": "a@example.com"]], headers: Self.auth)
        let (_, second) = try await client.json("POST", "/hubspot/crm/v3/objects/contacts", ["properties": ["email": "b@example.com"]],
                                                headers: Self.auth)
        let id = try #require(second["id"]?.stringValue)
        let (status, answer) = try await client.json(
            "POST", "/hubspot/crm/v3/objects/contacts/search",
            ["filterGroups": [["filters": [["propertyName": "hs_object_id", "operator": "EQ", "value": .string(id)]]]],
             "properties": ["email"]], headers: Self.auth)
        #expect(status == 200)
        #expect(answer["total"] == 1)
        #expect(answer.value(at: "results.0.properties.email") == "b@example.com")
        try await client.stop()
    }
}
