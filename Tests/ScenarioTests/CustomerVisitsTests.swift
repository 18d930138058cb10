import Model
import Native
import Testing

/// `customer.visits` and `customer.last_visit` come from the journal: a customer's earlier
/// completed bookings with the tenant, for conditions such as a returning-customer discount.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct CustomerVisitsTests {
    @Test func aSecondBooking_countsTheFirst_andKnowsItsDate() async throws {
        let harness = try Harness()
        let phone = "+15125550191"
        let day = StoryTime.weekday(atLeast: 3)
        let first = try await AcmePlumbingTests.book(harness, phone: phone, at: StoryTime.iso(day, hour: 10))
        #expect(first["status"] == "completed", "\(first["reason"] ?? .null)")
        #expect(first.value(at: "context.customer.visits") == 0)
        #expect(first.value(at: "context.customer.last_visit") == .null)

        let second = try await AcmePlumbingTests.book(harness, phone: phone, at: StoryTime.iso(StoryTime.next(day), hour: 10),
                                                      text: "The bathroom drain is blocked too")
        #expect(second["status"] == "completed", "\(second["reason"] ?? .null)")
        #expect(second.value(at: "context.customer.visits") == 1)
        #expect(second.value(at: "context.customer.last_visit") == .string(day.description))
        // Another customer has none.
        let other = try await AcmePlumbingTests.book(harness, phone: "+15125550192", at: StoryTime.iso(day, hour: 13))
        #expect(other.value(at: "context.customer.visits") == 0)
    }
}
