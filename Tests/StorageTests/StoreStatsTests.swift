import Model
import Native
import Testing
@testable import Storage

/// The dashboard's figures: counted per tenant, over a window, from the journal.
struct StoreStatsTests {
    static func call(_ provider: String, attempts: Int = 1, millis: Int = 10, error: String? = nil) -> JSON {
        var object: JSONObject = ["provider": .string(provider), "operation": "op", "attempts": .int(Int64(attempts)),
                                  "duration_ms": .int(Int64(millis))]
        if let error { object["error"] = ["kind": .string(error), "message": "down"] }
        return .object(object)
    }

    /// Stores an interaction, then one step ending `endsAfter` ms after it was stored, with `calls`.
    static func store(_ store: any InteractionStore, tenant: String = "acme", status: InteractionStatus, endsAfter: Int64 = 50,
                      calls: [JSON] = [], receivedAt: Int64 = Clock.unixMillis()) async throws -> InteractionRecord {
        let interaction = makeInteraction(tenant: tenant, at: receivedAt)
        guard case .accepted(let record) = try await store.accept(interaction, requestHash: nil) else { throw StoreError(.conflict, "not accepted") }
        let step = StepRecord(sequence: 1, state: "s", agent: "a", outcome: .ok, startedAt: record.createdAt + endsAfter - 10,
                              durationMicros: 10_000, detail: ["calls": .array(calls)])
        try await store.commit(step: step, tenant: tenant, id: interaction.id, update: InteractionUpdate(status: status))
        return record
    }

    @Test(arguments: StoreKind.available) func stats_countTheWindowOfOneTenant(_ kind: StoreKind) async throws {
        let temp = try TemporaryStore(kind)
        let store = temp.store
        _ = try await Self.store(store, status: .completed, endsAfter: 100,
                                 calls: [Self.call("stripe", millis: 40), Self.call("twilio", attempts: 3, millis: 900, error: "retryable")])
        _ = try await Self.store(store, status: .failed, endsAfter: 300, calls: [Self.call("stripe", millis: 20)])
        let waiting = try await Self.store(store, status: .awaitingApproval)
        _ = try await Self.store(store, status: .completed, calls: [Self.call("stripe")], receivedAt: Clock.unixMillis() - 2 * 86_400_000)
        _ = try await Self.store(store, tenant: "other", status: .completed, calls: [Self.call("stripe", error: "auth_failure")])

        let stats = try await store.stats(tenant: "acme", since: Clock.unixMillis() - 86_400_000)
        #expect(stats.total == 3, "the two-day-old one and the other tenant's are outside")
        #expect(stats.byStatus == [.completed: 1, .failed: 1, .awaitingApproval: 1])
        #expect(stats.resolution == TenantStats.Resolution(count: 2, p50Millis: 100, p99Millis: 300))
        #expect(stats.providers == [
            TenantStats.ProviderFigures(provider: "stripe", calls: 2, errors: 0, retries: 0, totalMillis: 60),
            TenantStats.ProviderFigures(provider: "twilio", calls: 1, errors: 1, retries: 2, totalMillis: 900),
        ])
        #expect(stats.providers.last?.errorRate == 1)

        let unfinished = try await store.unfinished(tenant: "acme")
        #expect(unfinished == [UnfinishedFigures(status: .awaitingApproval, count: 1, oldestCreatedAt: waiting.createdAt)])
        #expect(try await store.unfinished(tenant: "other").isEmpty)
        #expect(try await store.stats(tenant: "nobody", since: 0).total == 0)
    }

    @Test func resolution_percentilesAreNearestRank() {
        let figures = TenantStats.Resolution(durations: [5, 1, 3, 2, 4])
        #expect(figures.count == 5 && figures.p50Millis == 3 && figures.p99Millis == 5)
        #expect(TenantStats.Resolution(durations: []).p50Millis == nil)
        let hundred = TenantStats.Resolution(durations: (1...100).map { Int64($0) })
        #expect(hundred.p50Millis == 50 && hundred.p99Millis == 99)
    }
}
