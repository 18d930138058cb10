import Agents
import Interaction
import Model
import Native
import Routing
import Storage

/// Replays a tenant's recorded interactions through an edited configuration: each one stored
/// again, in the order received, in the dry run's private journal, and run by the real engine
/// with providers answering from what the trace recorded (the sandbox answers what it did not).
/// Operator approvals are applied as they were recorded.
struct WhatIfRun {
    let dryRun: DryRun
    let source: any InteractionStore
    let since: Int64
    let limit: Int

    struct Result: Sendable {
        var changes: [OutcomeChange]
        var versions: [String]
        /// Calls with no recorded answer, per interaction (`role.operation`).
        var unrecorded: [(InteractionID, [String])]
        var replayedAnswers: Int
        var skipped: [String]
        var truncated: Bool
    }

    func run() async throws -> Result {
        let tenant = dryRun.config.id.rawValue
        var records: [InteractionRecord] = []
        var cursor: String?
        var truncated = false
        repeat {
            let page = try await source.interactions(tenant: tenant, status: nil, since: since, customer: nil, limit: 500, cursor: cursor)
            records += page.records
            cursor = page.nextCursor
            if records.count >= limit {
                truncated = cursor != nil || records.count > limit
                records = Array(records.prefix(limit))
                break
            }
        } while cursor != nil
        records.reverse()  // oldest first: a payment follows the booking it pays for

        let book = AnswerBook()
        var recordedSteps: [InteractionID: [StepRecord]] = [:]
        var skipped: [String] = []
        var replayable: [InteractionRecord] = []
        for record in records {
            if record.status == .accepted || record.status == .running {
                skipped.append("\(record.id) is still \(record.status.rawValue)")
                continue
            }
            let steps = Self.lastRun(try await source.steps(tenant: tenant, id: record.id),
                                     start: record.flow.flatMap { dryRun.config.flows[$0]?.start })
            recordedSteps[record.id] = steps
            book.add(RecordedAnswers(stepDetails: steps.map(\.detail)), for: record.id)
            replayable.append(record)
        }
        try await seedReferenced(by: replayable, tenant: tenant)

        let engine = dryRun.makeEngine(clock: .asReceived, book: book)
        for record in replayable {
            do {
                var replayed = try await dryRun.run(record.interaction, on: engine,
                                                    spokenOnCall: Self.spokenOnCall(record, steps: recordedSteps[record.id] ?? []))
                var decisions = Self.approvals(in: recordedSteps[record.id] ?? [])[...]
                while replayed.status == .awaitingApproval, let decision = decisions.popFirst() {
                    replayed = try await engine.decide(tenant: tenant, id: record.id, approve: decision.approved, by: decision.by, note: nil)
                }
            } catch {
                skipped.append("\(record.id) could not be replayed: \(error)")
            }
        }

        var changes: [OutcomeChange] = []
        var unrecorded: [(InteractionID, [String])] = []
        var answered = 0
        let currency = dryRun.config.identity.currency
        for record in replayable {
            guard let replayed = try? await dryRun.trace(record.id) else { continue }
            let original = TraceView.trace(record, steps: recordedSteps[record.id] ?? [])
            changes.append(OutcomeChange(id: record.id, received: record.interaction.receivedAt, request: Self.request(record.interaction),
                                         before: OutcomeSummary(trace: original, currency: currency),
                                         after: OutcomeSummary(trace: replayed, currency: currency)))
            if let answers = book.answers(for: record.id) {
                if !answers.missing.isEmpty { unrecorded.append((record.id, answers.missing)) }
                answered += answers.used
            }
        }
        let versions = Set(replayable.compactMap(\.configVersion)).sorted()
        return Result(changes: changes, versions: versions, unrecorded: unrecorded, replayedAnswers: answered, skipped: skipped,
                      truncated: truncated)
    }

    /// Interactions before the window that the window's webhooks point at (the booking a payment
    /// pays for), copied as recorded so the replay finds them.
    func seedReferenced(by records: [InteractionRecord], tenant: String) async throws {
        let inWindow = Set(records.map(\.id))
        var wanted: [InteractionID] = []
        for record in records {
            guard let text = record.interaction.event?.payload.value(at: "metadata.interaction_id")?.stringValue,
                  let id = InteractionID(text), !inWindow.contains(id), !wanted.contains(id) else { continue }
            wanted.append(id)
        }
        for id in wanted {
            guard let original = try await source.interaction(tenant: tenant, id: id),
                  case .accepted = try await dryRun.store.accept(original.interaction, requestHash: nil) else { continue }
            try await dryRun.store.commit(step: nil, tenant: tenant, id: id, update: InteractionUpdate(
                status: original.status, flow: original.flow, state: original.state, configVersion: original.configVersion,
                context: original.context, reason: original.reason, attempts: original.attempts))
        }
    }

    /// The steps of the last run: an operator's replay of a failed interaction runs its flow again
    /// from `start`, and what-if compares with (and answers from) that last run only.
    static func lastRun(_ steps: [StepRecord], start: String?) -> [StepRecord] {
        guard let start, let last = steps.lastIndex(where: { $0.state == start }), last > 0 else { return steps }
        return Array(steps[last...])
    }

    /// For a call's interaction, how many messages its first run said on the call (each channel
    /// is replayed as itself: the caller hears them again, and what was texted is texted); nil
    /// for other channels.
    static func spokenOnCall(_ record: InteractionRecord, steps: [StepRecord]) -> Int? {
        guard record.interaction.channel == .voice else { return nil }
        var spoken = 0
        for step in steps {
            if step.detail["resumed_by"] != nil { break }  // a later turn of the call: the replay stops before it
            spoken += (step.detail["messages"]?.arrayValue ?? []).filter { $0["channel"]?.stringValue == "voice" }.count
        }
        return spoken
    }

    /// The operator decisions the recording resumed approval steps with, in order.
    static func approvals(in steps: [StepRecord]) -> [(approved: Bool, by: String)] {
        steps.compactMap { step in
            guard let resumed = step.detail["resumed_by"], let decision = resumed["approval"]?.stringValue else { return nil }
            return (decision == "approved", resumed["by"]?.stringValue ?? "operator")
        }
    }

    static func request(_ interaction: Interaction) -> String {
        let who = interaction.from.customerKey ?? "unknown"
        if let text = interaction.text { return "\(interaction.channel.rawValue) from \(who): \"\(OutcomeChange.oneLine(text))\"" }
        if let event = interaction.event { return "\(event.source) \(event.type)" }
        return interaction.channel.rawValue
    }
}
