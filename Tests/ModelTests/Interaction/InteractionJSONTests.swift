import Testing
@testable import Model

struct InteractionJSONTests {
    static let id = InteractionID(unixMillis: 1_790_000_000_000, random: Array(repeating: 3, count: 10))

    @Test func requestID_isStoredAsRequestID_andReadBack() throws {
        let interaction = Interaction(id: Self.id, tenant: "acme-plumbing", channel: .api, receivedAt: 1_790_000_000_000,
                                      text: "sink clogged", idempotencyKey: "order-7", requestID: "abc-123")
        #expect(interaction.json["request_id"] == "abc-123")
        let read = try #require(Interaction(json: interaction.json))
        #expect(read == interaction)
    }

    @Test func requestID_absent_isLeftOut_andReadsAsNil() throws {
        let interaction = Interaction(id: Self.id, tenant: "acme-plumbing", channel: .sms, receivedAt: 1_790_000_000_000)
        #expect(interaction.json["request_id"] == nil)
        #expect(try #require(Interaction(json: interaction.json)).requestID == nil)
    }
}
