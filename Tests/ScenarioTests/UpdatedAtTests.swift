import Integration
import Model
import Native
import Testing

/// `updated_at` in an answer is the time of the interaction's last change, as the journal has it:
/// the `Prefer: wait` answer and the operator's approve and reject answers included.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct UpdatedAtTests {
    static let tenant = AcmePlumbingTests.tenant

    @Test func preferWaitAnswer_carriesTheTimeOfTheLastChange() async throws {
        let harness = try Harness()
        let answer = try await harness.call(
            "POST", "/v1/tenants/\(Self.tenant)/interactions", key: Harness.acmeKey,
            json: ["from": ["phone": "+15125550211", "name": "Dana Reyes"], "text": "My kitchen sink is clogged",
                   "fields": ["postal_code": "78704"]],
            headers: [("Prefer", "wait=20")])
        #expect(answer.json?["status"] == "completed", "\(answer.bodyText)")
        let id = try #require(answer.json?["id"]?.stringValue)
        let trace = try await harness.trace(Self.tenant, id, key: Harness.acmeOperatorKey)
        let lastStep = try #require(trace["steps"]?.arrayValue?.last?["started_at"].flatMap(Self.millis))
        let updated = try #require(Self.millis(answer.json?["updated_at"]))
        #expect(updated >= lastStep, "\(answer.bodyText)")
        #expect(updated > (try #require(Self.millis(answer.json?["created_at"]))))
        #expect(answer.json?["updated_at"] == trace["updated_at"], "answer \(answer.bodyText), journal \(trace["updated_at"] ?? .null)")
    }

    @Test func approveAndRejectAnswers_carryTheTimeOfTheDecision() async throws {
        let harness = try Harness()
        for (phone, action, status) in [("+15125550212", "approve", "completed"), ("+15125550213", "reject", "failed")] {
            let parked = try await AcmePlumbingTests.askLargeQuote(harness, phone: phone)
            #expect(parked.json?["status"] == "awaiting_approval", "\(parked.bodyText)")
            let id = try #require(parked.json?["id"]?.stringValue)
            let parkedAt = try #require(Self.millis(parked.json?["updated_at"]))
            try await Task.sleep(nanoseconds: 20_000_000)
            let decided = try await harness.call("POST", "/v1/tenants/\(Self.tenant)/interactions/\(id)/\(action)",
                                                 key: Harness.acmeOperatorKey, json: ["by": "owner"])
            #expect(decided.json?["status"]?.stringValue == status, "\(decided.bodyText)")
            let decidedAt = try #require(Self.millis(decided.json?["updated_at"]))
            #expect(decidedAt > parkedAt, "\(action): \(decided.bodyText)")
            let trace = try await harness.trace(Self.tenant, id, key: Harness.acmeOperatorKey)
            #expect(decided.json?["updated_at"] == trace["updated_at"], "\(action): answer \(decided.bodyText)")
        }
    }

    static func millis(_ value: JSON?) -> Int64? {
        value?.stringValue.flatMap(Timestamp.parseISO8601)
    }
}
