import Glibc
import Model
import Native
import Testing
@testable import Storage

/// The storage suite, run against every store kind available (SQLite always; PostgreSQL when
/// `scripts/test` started a server).
struct StoreTests {
    @Test(arguments: StoreKind.available) func accept_storesTheInteraction_andReadsItBack(_ kind: StoreKind) async throws {
        let temp = try TemporaryStore(kind)
        let interaction = makeInteraction()
        guard case .accepted(let record) = try await temp.store.accept(interaction, requestHash: nil) else {
            Issue.record("not accepted"); return
        }
        #expect(record.status == .accepted)
        let loaded = try #require(try await temp.store.interaction(tenant: "acme", id: interaction.id))
        #expect(loaded.interaction == interaction)
        #expect(loaded.status == .accepted)
    }

    @Test(arguments: StoreKind.available) func idempotencyKey_sameBody_replays_otherBody_conflicts(_ kind: StoreKind) async throws {
        let temp = try TemporaryStore(kind)
        let first = makeInteraction(key: "order-42")
        _ = try await temp.store.accept(first, requestHash: "h1")
        guard case .replay(let replayed) = try await temp.store.accept(makeInteraction(key: "order-42"), requestHash: "h1") else {
            Issue.record("expected a replay"); return
        }
        #expect(replayed.id == first.id)
        guard case .keyReused(let existing) = try await temp.store.accept(makeInteraction(key: "order-42"), requestHash: "h2") else {
            Issue.record("expected a conflict"); return
        }
        #expect(existing.id == first.id)
        // The same key from another tenant, or on another channel, is a different interaction.
        guard case .accepted = try await temp.store.accept(makeInteraction(tenant: "other", key: "order-42"), requestHash: "h2"),
              case .accepted = try await temp.store.accept(makeInteraction(key: "order-42", channel: .stripe), requestHash: "h9")
        else { Issue.record("expected separate interactions"); return }
    }

    @Test(arguments: StoreKind.available) func list_isNewestFirst_filtered_paginated_andTenantScoped(_ kind: StoreKind) async throws {
        let temp = try TemporaryStore(kind)
        let base = Clock.unixMillis()
        var ids: [InteractionID] = []
        for i in 0..<7 {
            let interaction = makeInteraction(at: base + Int64(i))
            ids.append(interaction.id)
            _ = try await temp.store.accept(interaction, requestHash: nil)
        }
        _ = try await temp.store.accept(makeInteraction(tenant: "intruder"), requestHash: nil)
        try await temp.store.commit(step: nil, tenant: "acme", id: ids[2], update: .init(status: .completed))

        let first = try await temp.store.interactions(tenant: "acme", status: nil, since: nil, customer: nil, limit: 3, cursor: nil)
        #expect(first.records.map(\.id) == Array(ids.reversed().prefix(3)))
        let second = try await temp.store.interactions(tenant: "acme", status: nil, since: nil, customer: nil, limit: 3, cursor: first.nextCursor)
        #expect(second.records.map(\.id) == Array(ids.reversed().dropFirst(3).prefix(3)))
        let third = try await temp.store.interactions(tenant: "acme", status: nil, since: nil, customer: nil, limit: 3, cursor: second.nextCursor)
        #expect(third.records.map(\.id) == [ids[0]])
        #expect(third.nextCursor == nil)

        let completed = try await temp.store.interactions(tenant: "acme", status: .completed, since: nil, customer: nil, limit: 10, cursor: nil)
        #expect(completed.records.map(\.id) == [ids[2]])
        let byCustomer = try await temp.store.interactions(tenant: "acme", status: nil, since: nil, customer: "+15550001111", limit: 50, cursor: nil)
        #expect(byCustomer.records.count == 7)
        // Another tenant's id is invisible.
        #expect(try await temp.store.interaction(tenant: "intruder", id: ids[0]) == nil)
    }

    @Test(arguments: StoreKind.available) func commit_journalsStepsInOrder_andUpdatesTheInteraction(_ kind: StoreKind) async throws {
        let temp = try TemporaryStore(kind)
        let interaction = makeInteraction()
        _ = try await temp.store.accept(interaction, requestHash: nil)
        for sequence in 1...3 {
            let step = StepRecord(sequence: sequence, state: "s\(sequence)", agent: "notify.customer", outcome: .ok,
                                  startedAt: 1, durationMicros: 5, detail: ["n": .int(Int64(sequence))])
            try await temp.store.commit(step: step, tenant: "acme", id: interaction.id,
                                        update: .init(status: .running, flow: "booking", state: "s\(sequence + 1)",
                                                      configVersion: "v1", context: ["k": .int(Int64(sequence))]))
        }
        try await temp.store.commit(step: nil, tenant: "acme", id: interaction.id, update: .init(status: .failed, reason: "provider down"))
        let steps = try await temp.store.steps(tenant: "acme", id: interaction.id)
        #expect(steps.map(\.sequence) == [1, 2, 3])
        #expect(steps[2].detail["n"] == 3)
        let record = try #require(try await temp.store.interaction(tenant: "acme", id: interaction.id))
        #expect(record.status == .failed)
        #expect(record.state == "s4")      // kept: the update did not name a state
        #expect(record.context["k"] == 3)   // kept
        #expect(record.flow == "booking" && record.configVersion == "v1")
        #expect(record.reason == "provider down")
        // A step re-run after a crash replaces its record rather than adding a second one. (A
        // failed interaction is nobody's: a shared store wants it claimed before it is written.)
        #expect(try await temp.store.claim(tenant: "acme", id: interaction.id)?.status == .failed)
        let rerun = StepRecord(sequence: 3, state: "s3", agent: "notify.customer", outcome: .error, startedAt: 9, durationMicros: 1, detail: nil)
        try await temp.store.commit(step: rerun, tenant: "acme", id: interaction.id, update: .init(status: .failed, reason: "provider down"))
        let replaced = try await temp.store.steps(tenant: "acme", id: interaction.id)
        #expect(replaced.count == 3 && replaced[2].outcome == .error)
        // Another tenant cannot move it.
        await #expect(throws: StoreError.self) {
            try await temp.store.commit(step: nil, tenant: "intruder", id: interaction.id, update: .init(status: .completed))
        }
    }

    @Test(arguments: StoreKind.available) func due_findsUnfinishedWork_andWaitsWhoseTimeHasCome(_ kind: StoreKind) async throws {
        let temp = try TemporaryStore(kind)
        let accepted = makeInteraction()
        let retrying = makeInteraction()
        let later = makeInteraction()
        let done = makeInteraction()
        for i in [accepted, retrying, later, done] { _ = try await temp.store.accept(i, requestHash: nil) }
        try await temp.store.commit(step: nil, tenant: "acme", id: retrying.id, update: .init(status: .retrying, wakeAt: 1000))
        try await temp.store.commit(step: nil, tenant: "acme", id: later.id, update: .init(status: .awaitingReply, wakeAt: 5000))
        try await temp.store.commit(step: nil, tenant: "acme", id: done.id, update: .init(status: .completed))
        let due = try await temp.store.due(now: 2000, limit: 10, includeUnfinished: true).map(\.id)
        #expect(Set(due) == [accepted.id, retrying.id])
        #expect(Set(try await temp.store.due(now: 6000, limit: 10, includeUnfinished: true).map(\.id)) == [accepted.id, retrying.id, later.id])
        // Without the unfinished ones: only the waits whose time has come.
        #expect(Set(try await temp.store.due(now: 6000, limit: 10, includeUnfinished: false).map(\.id)) == [retrying.id, later.id])
    }

    @Test(arguments: StoreKind.available) func effects_recordIntentThenResult(_ kind: StoreKind) async throws {
        let temp = try TemporaryStore(kind)
        let interaction = makeInteraction()
        let id = interaction.id
        _ = try await temp.store.accept(interaction, requestHash: nil)
        #expect(try await temp.store.effect(tenant: "acme", key: "k1") == nil)
        try await temp.store.record(effect: .init(key: "k1", interactionID: id, provider: "twilio", operation: "sms", state: .intended), tenant: "acme")
        #expect(try await temp.store.effect(tenant: "acme", key: "k1")?.state == .intended)
        try await temp.store.record(effect: .init(key: "k1", interactionID: id, provider: "twilio", operation: "sms", state: .done,
                                                  result: ["sid": "SM1"]), tenant: "acme")
        let effect = try #require(try await temp.store.effect(tenant: "acme", key: "k1"))
        #expect(effect.state == .done && effect.result["sid"] == "SM1")
        #expect(try await temp.store.effect(tenant: "intruder", key: "k1") == nil)
    }

    @Test(arguments: StoreKind.available) func conversations_openExpireAndClose(_ kind: StoreKind) async throws {
        let temp = try TemporaryStore(kind)
        let a = makeInteraction().id
        let b = makeInteraction().id
        try await temp.store.openConversation(tenant: "acme", customer: "+1555", id: a, expiresAt: 1000)
        #expect(try await temp.store.conversation(tenant: "acme", customer: "+1555", now: 999) == a)
        #expect(try await temp.store.conversation(tenant: "acme", customer: "+1555", now: 1000) == nil)
        try await temp.store.openConversation(tenant: "acme", customer: "+1555", id: b, expiresAt: 5000)
        #expect(try await temp.store.conversation(tenant: "acme", customer: "+1555", now: 1000) == b)
        try await temp.store.closeConversation(tenant: "acme", customer: "+1555", id: a)  // not the open one: no effect
        #expect(try await temp.store.conversation(tenant: "acme", customer: "+1555", now: 1000) == b)
        try await temp.store.closeConversation(tenant: "acme", customer: "+1555", id: b)
        #expect(try await temp.store.conversation(tenant: "acme", customer: "+1555", now: 1000) == nil)
        #expect(try await temp.store.conversation(tenant: "other", customer: "+1555", now: 0) == nil)
    }

    @Test(arguments: StoreKind.available) func concurrentWrites_areGroupCommitted(_ kind: StoreKind) async throws {
        let temp = try TemporaryStore(kind)
        let store = temp.store
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2000 {
                group.addTask { _ = try await store.accept(makeInteraction(), requestHash: nil) }
            }
            try await group.waitForAll()
        }
        let page = try await store.interactions(tenant: "acme", status: nil, since: nil, customer: nil, limit: 500, cursor: nil)
        #expect(page.records.count == 500 && page.nextCursor != nil)
        let commits = kind == .sqlite ? temp.sqlite.writer.commitCount : temp.postgres.writer.commitCount
        #expect(commits < 2000, "\(commits) commits for 2000 writes")
    }
}

struct BookingCountTests {
    @Test(arguments: StoreKind.available) func bookings_countByServiceAndDay_excludingFailedAndRefunded(_ kind: StoreKind) async throws {
        let temp = try TemporaryStore(kind)
        func booked(_ start: String, service: String = "heater", status: InteractionStatus = .completed) async throws -> InteractionID {
            let interaction = makeInteraction()
            _ = try await temp.store.accept(interaction, requestHash: nil)
            try await temp.store.commit(step: nil, tenant: "acme", id: interaction.id, update: .init(
                status: status, context: ["service": ["id": .string(service)], "booking": ["start": .string(start)]]))
            return interaction.id
        }
        _ = try await booked("2026-11-19T09:00:00Z")
        _ = try await booked("2026-11-19T13:00:00Z")
        _ = try await booked("2026-11-19T15:00:00Z", status: .failed)
        _ = try await booked("2026-11-19T16:00:00Z", service: "drain")
        let refunded = try await booked("2026-11-19T17:00:00Z")
        try await temp.store.annotate(tenant: "acme", id: refunded, with: ["refund": ["id": "re_1"]])
        _ = try await booked("2026-11-20T09:00:00Z")
        let day: Int64 = 1_795_046_400
        #expect(try await temp.store.bookings(tenant: "acme", service: "heater", from: day, to: day + 86_400) == 2)
        #expect(try await temp.store.bookings(tenant: "other", service: "heater", from: day, to: day + 86_400) == 0)
    }
}
