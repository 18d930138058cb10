import Integration
import Model
import Native
import Sandbox
import Testing

/// A customer is never nameless: an SMS customer is named by the CRM contact, else by a name
/// they gave in their text; operator messages that know no name give the phone alone, and the
/// calendar never gets a blank or "Customer" attendee when something better is known.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct CustomerNameTests {
    @Test func aNameGivenInTheText_namesTheCustomer_toTheOperatorCRMAndCalendar() async throws {
        let harness = try Harness()
        let phone = "+15125550231"
        let done = try await AcmePlumbingTests.text(harness, from: phone, "Hi, this is Dana. Our kitchen sink is clogged, we're in 78704")
        #expect(done["status"] == "completed", "\(done["reason"] ?? .null) \(AcmePlumbingTests.states(done))")
        #expect(done.value(at: "context.customer.name") == "Dana", "\(done.value(at: "context.customer") ?? .null)")
        let dispatch = try #require(JSON.texts(harness.outbox().filter { $0["kind"] == "slack" }).last { $0.contains("New job") })
        #expect(dispatch.contains("for Dana (\(phone))"), "\(dispatch)")
        #expect(try await Self.attendee(harness, done) == "Dana")
        // The CRM contact was created with it, so the next text finds the name there.
        let again = try await AcmePlumbingTests.text(harness, from: phone, "The bathroom sink is clogged too, 78704")
        #expect(again.value(at: "context.customer.name") == "Dana", "\(again.value(at: "context.customer") ?? .null)")
    }

    @Test func noNameAnywhere_theOperatorIsGivenThePhoneAlone() async throws {
        let harness = try Harness()
        let phone = "+15125550232"
        let done = try await AcmePlumbingTests.text(harness, from: phone, "our kitchen sink is clogged, we're in 78704")
        #expect(done["status"] == "completed", "\(done["reason"] ?? .null) \(AcmePlumbingTests.states(done))")
        let dispatch = try #require(JSON.texts(harness.outbox().filter { $0["kind"] == "slack" }).last { $0.contains("New job") })
        #expect(dispatch.contains("for \(phone).") && !dispatch.contains("for  ") && !dispatch.contains("()"), "\(dispatch)")
        #expect(try await Self.attendee(harness, done) == phone)
    }

    /// The attendee name Cal.com holds for the interaction's booking.
    static func attendee(_ harness: Harness, _ trace: JSON) async throws -> String? {
        let uid = try #require(trace.value(at: "context.booking.id")?.stringValue)
        let request = HTTPClient.Request(method: "GET", url: harness.sandbox.baseURL + "/calcom/v2/bookings/\(uid)",
                                         headers: [("Authorization", "Bearer cal_sandbox_acme"), ("cal-api-version", "2024-08-13")])
        let booking = try await harness.client.send(request)
        return booking.json?.value(at: "data.attendees.0.name")?.stringValue ?? booking.json?.value(at: "data.attendee.name")?.stringValue
    }
}
