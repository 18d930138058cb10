import Model
import Native
import Testing
@testable import Storage

/// The dashboard's search by a customer's phone or email.
struct StoreCustomerSearchTests {
    @Test(arguments: StoreKind.available) func customerSearch_byPhoneOrByAnyEmailGiven(_ kind: StoreKind) async throws {
        let temp = try TemporaryStore(kind)
        let store = temp.store
        // makeInteraction gives a phone and c@example.com: keyed by the phone.
        let both = makeInteraction(phone: "+15550001111")
        _ = try await store.accept(both, requestHash: nil)
        let emailOnly = Interaction(id: InteractionID(unixMillis: Clock.unixMillis(), random: Crypto.randomBytes(10)), tenant: "acme",
                                    channel: .api, receivedAt: Clock.unixMillis(), from: .init(email: "Dana@Example.com"), text: "hi")
        _ = try await store.accept(emailOnly, requestHash: nil)
        _ = try await store.accept(makeInteraction(tenant: "other", phone: "+15550001111"), requestHash: nil)

        func ids(_ customer: String) async throws -> [InteractionID] {
            try await store.interactions(tenant: "acme", status: nil, since: nil, customer: customer, limit: 10, cursor: nil).records.map(\.id)
        }
        #expect(try await ids("+15550001111") == [both.id])
        #expect(try await ids("c@example.com") == [both.id], "found by the email although keyed by the phone")
        #expect(try await ids("dana@example.com") == [emailOnly.id])
        #expect(try await ids("nobody@example.com").isEmpty)
    }
}
