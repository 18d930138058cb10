import Integration
import Model
import Native
import Sandbox
import Testing
@testable import App

/// Customer tags kept in the CRM decide prices: a contact tagged `member` in HubSpot gets Acme's
/// member discount, and a tag Switchboard writes is added to the contact's tags, not put in their place.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct CustomerTagsTests {
    static let token = "pat-sandbox-acme"

    /// Acme Plumbing whose paid-deposit flow also tags the customer `returning`.
    static func tenantsDirectory() throws -> String {
        let directory = try FileSystem.makeTemporaryDirectory(prefix: "switchboard-tags")
        let acme = String(decoding: try FileSystem.readFile(Harness.repositoryPath("tenants/acme-plumbing.yaml")), as: UTF8.self)
        let edited = acme.replacingFirst("            deposit_status: paid\n",
                                         with: "            deposit_status: paid\n            switchboard_tags: returning\n")
        #expect(edited != acme, "the payment flow's crm.update moved in tenants/acme-plumbing.yaml")
        try FileSystem.writeFileAtomically(directory + "/acme-plumbing.yaml", Array(edited.utf8))
        return directory
    }

    /// Creates a contact in the sandbox's HubSpot as someone else (the office, another tool) would.
    static func seedContact(_ harness: Harness, properties: JSONObject) async throws -> String {
        var request = HTTPClient.Request(method: "POST", url: harness.sandbox.baseURL + "/hubspot/crm/v3/objects/contacts")
        request.setJSON(["properties": .object(properties)])
        request.authorize(.bearer(token))
        let response = try await harness.client.send(request)
        return try #require(response.json?["id"]?.stringValue, "\(response.bodyText)")
    }

    /// The contact's properties as the sandbox's HubSpot holds them.
    static func contact(_ harness: Harness, _ id: String) async throws -> JSON {
        var request = HTTPClient.Request(method: "GET", url: harness.sandbox.baseURL + "/hubspot/crm/v3/objects/contacts/" + id)
        request.authorize(.bearer(token))
        return try await harness.client.send(request).json?["properties"] ?? .null
    }

    static func adjustments(_ trace: JSON) -> [String] {
        trace.value(at: "context.price.adjustments")?.arrayValue?.compactMap { $0["rule"]?.stringValue } ?? []
    }

    @Test func memberTaggedInTheCRM_getsTheMemberDiscount_andATagSwitchboardWritesKeepsIt() async throws {
        let directory = try Self.tenantsDirectory()
        defer { FileSystem.removeTree(directory) }
        let harness = try Harness { $0.tenantsDirectory = directory }
        let phone = "+15125550191"
        let id = try await Self.seedContact(harness, properties: ["phone": .string(phone), "firstname": "Mia", "lastname": "Chen",
                                                                  "switchboard_tags": "member"])
        let day = StoryTime.weekday(atLeast: 2)
        let trace = try await AcmePlumbingTests.book(harness, phone: phone, at: StoryTime.iso(day, hour: 10))
        #expect(trace["status"] == "completed", "\(trace["reason"] ?? JSON.null)")
        #expect(trace.value(at: "context.customer.id")?.stringValue == id)
        #expect(trace.value(at: "context.customer.tags") == ["member"], "\(trace.value(at: "context.customer") ?? JSON.null)")
        #expect(Self.adjustments(trace) == ["member"], "\(trace.value(at: "context.price") ?? JSON.null)")
        #expect(trace.value(at: "context.price.total")?.intValue == 13410)  // $149.00 less 10%

        // The deposit is paid: the payment flow tags the customer `returning`, next to `member`.
        let session = try #require(trace.value(at: "context.payment.session_id")?.stringValue)
        _ = try await harness.sandboxCall("POST", "/sandbox/checkout/\(session)/pay")
        let payment = try await AcmePlumbingTests.newest(harness, channel: "stripe")
        #expect(payment["status"] == "completed", "\(payment["reason"] ?? JSON.null)")
        #expect(try await Self.contact(harness, id)["switchboard_tags"] == "member;returning")

        // The next booking sees both tags, and the member discount still applies.
        let again = try await AcmePlumbingTests.book(harness, phone: phone, at: StoryTime.iso(day, hour: 13))
        #expect(again.value(at: "context.customer.tags") == ["member", "returning"])
        #expect(Self.adjustments(again) == ["member"])
    }
}
