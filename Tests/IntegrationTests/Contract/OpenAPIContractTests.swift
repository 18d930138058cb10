import HTTP
import Model
import Testing

/// The contract checker itself: it must catch what the adapters' tests rely on it to catch.
@Suite(.enabled(if: OpenAPIContract.isAvailable, "needs ../shared/providers"))
struct OpenAPIContractTests {
    static func json(_ method: HTTPMethod, _ target: String, _ body: String, headers: [(String, String)] = []) -> HTTPRequest {
        HTTPRequest(method: method, target: target, headers: HTTPHeaders([("Content-Type", "application/json")] + headers), body: Array(body.utf8))
    }

    @Test func missingRequiredProperties_areReported() throws {
        let hubspot = try OpenAPIContract("hubspot")
        #expect(hubspot.problems(Self.json(.post, "/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"a@b.c\"}}"))
                == ["body.associations is required"])
        #expect(hubspot.problems(Self.json(.post, "/crm/v3/objects/notes",
                                           "{\"properties\":{},\"associations\":[{\"to\":{\"id\":\"1\"},\"types\":[{\"associationTypeId\":202}]}]}"))
                == ["body.associations[0].types[0].associationCategory is required"])
    }

    @Test func versionHeaderAndOneOfBodies_areChecked() throws {
        let calcom = try OpenAPIContract("calcom")
        let noHeader = Self.json(.post, "/v2/bookings", "{\"start\":\"2050-09-05T07:00:00Z\",\"eventTypeId\":1,\"attendee\":{\"name\":\"A\",\"timeZone\":\"UTC\"}}")
        #expect(calcom.problems(noHeader) == ["header cal-api-version missing"])
        let wrongVersion = Self.json(.post, "/v2/bookings", "{\"start\":\"x\",\"attendee\":{\"name\":\"A\",\"timeZone\":\"UTC\"}}",
                                     headers: [("cal-api-version", "2024-09-04")])
        #expect(calcom.problems(wrongVersion) == ["header cal-api-version is 2024-09-04, the operation requires 2024-08-13"])
        let noAttendee = Self.json(.post, "/v2/bookings", "{\"start\":\"2050-09-05T07:00:00Z\"}", headers: [("cal-api-version", "2024-08-13")])
        #expect(calcom.problems(noAttendee).first?.hasPrefix("body matches none of its alternatives") == true)
    }

    @Test func pathPatternsAndUnknownOperations_areChecked() throws {
        let twilio = try OpenAPIContract("twilio")
        let form = HTTPRequest(method: .post, target: "/2010-04-01/Accounts/XX12/Messages.json",
                               headers: HTTPHeaders([("Content-Type", "application/x-www-form-urlencoded")]), body: Array("To=%2B1".utf8))
        #expect(twilio.problems(form) == ["path parameter AccountSid=XX12 does not match ^AC[0-9a-fA-F]{32}$"])
        #expect(twilio.problems(HTTPRequest(method: .get, target: "/2010-04-01/Accounts")) == ["twilio: no operation GET /2010-04-01/Accounts"])
    }
}
