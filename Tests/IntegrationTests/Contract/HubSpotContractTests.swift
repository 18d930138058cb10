import HTTP
import Integration
import Model
import Testing

/// The HubSpot adapter's requests against hubspot.openapi.json, answered with the spec's examples.
@Suite(.timeLimit(.minutes(1)), .enabled(if: OpenAPIContract.isAvailable, "needs ../shared/providers"))
struct HubSpotContractTests {
    static func run(_ body: (HubSpotCRM, CallContext) async throws -> Void) async throws -> [HTTPRequest] {
        let spec = try OpenAPIContract("hubspot")
        let object = spec.resolve(["$ref": "#/components/schemas/SimplePublicObject"])["example"] ?? .null
        let server = try CaptureServer { request in
            if request.path.hasSuffix("/search") { return .json(["total": 1, "results": [object]]) }
            return .json(object, status: request.method == .patch ? .ok : .created)
        }
        let runtime = try IntegrationRuntime(metrics: MetricsRegistry())
        let crm = HubSpotCRM(configuration: .init(baseURL: server.url, accessToken: "pat-na1-contract"), runtime: runtime)
        try await body(crm, CallContext(tenant: "acme", idempotencyKey: "i-1:crm"))
        runtime.client.shutdown()
        try await server.stop()
        return server.requests
    }

    @Test func everyRequest_matchesTheSpecWithBearerAuthAndJSON() async throws {
        let requests = try await Self.run { crm, context in
            let found = try await crm.searchContact(.phone("+14155550101"), context: context)
            #expect(found?.id == "512")
            #expect(found?.properties["email"] == "bcooper@biglytics.net")
            _ = try await crm.createContact(properties: ["email": "ann@example.com", "firstname": "Ann"], context: context)
            _ = try await crm.updateContact(id: "512", properties: ["lastname": "Lee"], context: context)
            _ = try await crm.addNote(contactID: "512", body: "Booked", timestamp: 1_700_000_000_000, context: context)
        }
        let spec = try OpenAPIContract("hubspot")
        #expect(requests.map { "\($0.method.rawValue) \($0.path)" } == [
            "POST /crm/v3/objects/contacts/search", "POST /crm/v3/objects/contacts", "PATCH /crm/v3/objects/contacts/512",
            "POST /crm/v3/objects/notes",
        ])
        for request in requests {
            #expect(spec.problems(request) == [])
            #expect(request.headers["Authorization"] == "Bearer pat-na1-contract")
            #expect(request.mediaType == "application/json")
        }
        let search = try JSONParser.parse(requests[0].body)
        #expect(search["filterGroups"] == [["filters": [["propertyName": "phone", "operator": "EQ", "value": "+14155550101"]]],
                                           ["filters": [["propertyName": "mobilephone", "operator": "EQ", "value": "+14155550101"]]]])
        #expect(try JSONParser.parse(requests[1].body) == ["properties": ["email": "ann@example.com", "firstname": "Ann"], "associations": []])
        #expect(try JSONParser.parse(requests[2].body) == ["properties": ["lastname": "Lee"]])
        #expect(try JSONParser.parse(requests[3].body) == [
            "properties": ["hs_timestamp": "2023-11-14T22:13:20.000Z", "hs_note_body": "Booked"],
            "associations": [["to": ["id": "512"], "types": [["associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 202]]]],
        ])
    }

    @Test func writingTags_searchesTheContactsTagsThenPatchesTheUnion() async throws {
        let requests = try await Self.run { crm, context in
            _ = try await crm.updateContact(id: "512", properties: ["switchboard_tags": "returning"], context: context)
        }
        let spec = try OpenAPIContract("hubspot")
        #expect(requests.map { "\($0.method.rawValue) \($0.path)" } == ["POST /crm/v3/objects/contacts/search",
                                                                       "PATCH /crm/v3/objects/contacts/512"])
        for request in requests { #expect(spec.problems(request) == []) }
        let search = try JSONParser.parse(requests[0].body)
        #expect(search["filterGroups"] == [["filters": [["propertyName": "hs_object_id", "operator": "EQ", "value": "512"]]]])
        #expect(search["properties"] == ["switchboard_tags"])
        // The spec's example contact has no tags: the union is the tag written.
        #expect(try JSONParser.parse(requests[1].body) == ["properties": ["switchboard_tags": "returning"]])
    }
}
