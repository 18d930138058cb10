import Agents
import Integration
import Model
import Native
import Storage

/// Runs one interaction's flow from where its journal says it stands, until the flow ends, waits
/// (for a reply or an approval), or must retry later. Executions are values driven by one task.
struct Execution {
    let core: EngineCore
    let snapshot: TenantSnapshot
    var record: InteractionRecord
    private var context: JSONObject
    private var engineState: EngineState
    private let journal: ExecutionJournal
    private let startedAt = Clock.monotonicNanos()

    init(core: EngineCore, snapshot: TenantSnapshot, record: InteractionRecord) {
        self.core = core
        self.snapshot = snapshot
        self.record = record
        var context = record.context
        if context["tenant"] == nil {
            context.merge(BaseContext.make(record.interaction, config: snapshot.config))
        }
        self.context = context
        engineState = EngineState(context)
        let isFresh = record.status == .accepted && record.state == nil && record.attempts == 0 && record.context.isEmpty
        journal = ExecutionJournal(store: core.store, tenant: record.tenant, id: record.id, isFresh: isFresh)
    }

    private var config: TenantConfig { snapshot.config }

    /// Runs until the flow ends or waits; returns the record as it now stands.
    mutating func run(resumption: Resumption? = nil) async throws(StoreError) -> InteractionRecord {
        let flow: Flow
        if let name = record.flow {
            guard let found = config.flows[name] else {
                return try await end(.dead, reason: "flow \(name) no longer exists in configuration \(snapshot.version)", state: record.state)
            }
            flow = found
        } else {
            // Flows chosen by service go by the service the text names, not only by the API's
            // `service` field: classify first, as a step of its own, then choose.
            if FlowSelection.routesByService(record.interaction, in: config, context: context), let agent = core.agents["intent.classify"] {
                let routing = FlowStep(agent: agent.name, transitions: [:])
                let checkpoint = InteractionUpdate(status: .running, state: FlowSelection.routingState,
                                                   configVersion: snapshot.version, context: withEngineState(), attempts: record.attempts)
                let output = await runStep(agent, step: routing, state: FlowSelection.routingState, resumption: nil,
                                           deadline: Clock.monotonicNanos() + 60_000_000_000, checkpoint: checkpoint)
                context.merge(output.result.delta)
                journal.append(output.record)
            }
            let serviceID = record.interaction.service ?? context["service"]?.objectValue?["id"]?.stringValue
            switch FlowSelection.flow(for: record.interaction, serviceID: serviceID, in: config) {
            case .flow(let chosen): flow = chosen
            case .none(let reason): return try await end(.failed, reason: reason, flow: nil, state: nil)
            case .ignored(let reason): return try await end(.ignored, reason: reason, flow: nil, state: nil)
            }
        }
        record.flow = flow.name
        var state = record.state ?? flow.start
        if record.state == nil { engineState.visits[state] = 0 }
        var resumption = resumption
        let failurePath = flow.failurePathStates
        let deadline = startedAt + UInt64(max(1, config.deadlines.interaction.components.seconds)) * 1_000_000_000

        while true {
            guard let definition = flow.states[state] else {
                return try await end(.dead, reason: "state \(state) is missing from flow \(flow.name)", state: state)
            }
            // Undo first, then announce: the failure path's messages can say what was undone.
            if failurePath.contains(state) { await compensate(flow: flow, before: state, skipping: failurePath) }
            let step: FlowStep
            switch definition.kind {
            case .final(let final):
                return try await finish(final, flow: flow, state: state)
            case .branch(let branch):
                let next = route(branch, state: state)
                engineState.visits[next, default: -1] += 1
                state = next
                continue
            case .step(let found):
                step = found
            }
            guard let agent = core.agents[step.agent] else {
                return try await end(.dead, reason: "no agent \(step.agent)", state: state)
            }
            if Clock.monotonicNanos() > deadline {
                return try await end(.dead, reason: "the interaction's deadline passed before \(state)", state: state)
            }
            let checkpoint = InteractionUpdate(status: .running, flow: flow.name, state: state, configVersion: snapshot.version,
                                               context: withEngineState(), attempts: record.attempts)
            let result = await runStep(agent, step: step, state: state, resumption: resumption, deadline: deadline,
                                       checkpoint: checkpoint)
            resumption = nil
            let outcome = result.outcome

            if let park = result.park {
                return try await wait(park, state: state, step: result.record)
            }
            guard let next = step.transitions[outcome] else {
                journal.append(result.record)
                return try await retryLater(state: state, reason: result.result.decision.summary + ": " +
                                            result.result.decision.reasons.joined(separator: "; "))
            }
            context.merge(result.result.delta)
            if outcome == .ok && !step.compensation.isEmpty { engineState.compensations.append(state) }
            engineState.visits[next, default: -1] += 1
            journal.append(result.record)
            state = next
            if agent.hasEffects { journal.flushSoon() }
        }
    }

    private struct StepOutput {
        var result: StepResult
        var record: StepRecord
        var outcome: Outcome { result.outcome }
        var park: Park? { result.park }
    }

    /// Runs one agent and builds its journal record; the context is not changed here.
    private mutating func runStep(_ agent: any Agent, step: FlowStep, state: String, resumption: Resumption?,
                                  deadline: UInt64, checkpoint: InteractionUpdate, compensating: String? = nil) async -> StepOutput {
        let visit = engineState.visits[state] ?? 0
        let collector = CallCollector()
        let stepTimeout = UInt64(max(1, (step.timeout ?? config.deadlines.step).components.seconds)) * 1_000_000_000
        var input = StepInput(config: config, interaction: record.interaction, context: context, parameters: step.parameters,
                              providers: core.providers(for: snapshot), effects: journal, state: state,
                              sequence: engineState.sequence + 1, visit: visit, ledger: core.ledger(for: record.tenant),
                              now: core.options.clock.now(receivedAt: record.interaction.receivedAt, startedNanos: startedAt),
                              deadline: min(deadline, Clock.monotonicNanos() + stepTimeout),
                              recorder: collector)
        input.resumption = resumption
        input.compensating = compensating
        input.publicURL = core.options.publicURL
        input.slotHolds = core.slotHolds
        input.callLine = core.calls.line(tenant: record.tenant, id: record.id)
        input.routedOutcomes = Set(step.transitions.keys)
        input.classifier = core.options.classifier.map { RecordingClassifier($0) }
        journal.beginStep(keyBase: input.effectKeyBase)
        journal.checkpoint = checkpoint
        let started = Clock.unixMillis()
        let clock = Clock.monotonicNanos()
        let result = await agent.run(input)
        let micros = Int64((Clock.monotonicNanos() - clock) / 1000)
        core.metrics.observeStep(agent: agent.name, micros: micros)

        engineState.sequence += 1
        let spec = AgentCatalog.spec(named: agent.name)
        // A message left in doubt by a crash was not repeated: it does not count as delivered.
        let delivered = !result.messages.isEmpty && result.messages.allSatisfy { !$0.inDoubt }
        if spec?.confirmsCustomer == true, result.park == nil, delivered { engineState.confirmedCustomer = true }
        if spec?.notifiesOperator == true, result.park == nil, delivered { engineState.notifiedOperator = true }
        if spec?.updatesRecord == true, result.outcome == .ok { engineState.updatedRecord = true }
        if result.decision.errorKind == "in_doubt" {
            engineState.flags.append("\(state): \(result.decision.summary) — not repeated; check the provider")
        }
        if result.messages.contains(where: \.inDoubt) {
            engineState.flags.append("\(state): a message may or may not have been sent (interrupted); not repeated")
        }

        var detail: JSONObject = ["decision": result.decision.json, "delta": .object(result.delta),
                                  "messages": .array(result.messages.map(\.json)),
                                  "calls": .array(collector.drain().map(\.json)),
                                  "effects": .array(journal.stepEffects()), "visit": .int(Int64(visit))]
        let answers = collector.drainAnswers()
        if !answers.isEmpty { detail["answers"] = .array(answers.map(\.json)) }
        if let undone = result.undone { detail["undone"] = undone.json }
        if let node = core.leases?.node {
            // Several nodes share the work: which one ran this step, on which configuration.
            detail["node"] = .string(node)
            detail["config_version"] = .string(snapshot.version)
        }
        switch resumption {
        case .reply(let text)?: detail["resumed_by"] = ["reply": .string(text)]
        case .approval(let approved, let by, _)?: detail["resumed_by"] = ["approval": .string(approved ? "approved" : "rejected"), "by": .string(by)]
        case .timeout?: detail["resumed_by"] = "timeout"
        case nil: break
        }
        if let park = result.park {
            switch park {
            case .awaitingReply(let seconds): detail["waiting"] = ["for": "reply", "timeout_seconds": .int(seconds)]
            case .awaitingApproval(let policy, let seconds):
                detail["waiting"] = ["for": "approval", "policy": .string(policy), "timeout_seconds": seconds.map { .int($0) } ?? .null]
            }
        }
        let record = StepRecord(sequence: engineState.sequence, state: state, agent: agent.name,
                                outcome: result.park == nil ? result.outcome : nil, startedAt: started, durationMicros: micros,
                                detail: .object(detail))
        return StepOutput(result: result, record: record)
    }

    /// Chooses a branch's next state and journals the choice as a step of its own.
    private mutating func route(_ branch: FlowBranch, state: String) -> String {
        let started = Clock.unixMillis()
        let clock = Clock.monotonicNanos()
        let now = core.options.clock.now(receivedAt: record.interaction.receivedAt, startedNanos: startedAt)
        let scope = ContextScope(context: context, timeZone: config.identity.timeZone, hours: config.identity.hours, now: now)
        let (target, chosen) = branch.next(in: scope)
        var reasons = branch.cases.prefix { $0 != chosen }.map { "not \($0.condition.source)" }
        reasons.append(chosen.map { "\($0.condition.source) holds" } ?? "no case holds: else")
        let decision = Decision("→ \(target)", reasons: reasons)
        engineState.sequence += 1
        let micros = Int64((Clock.monotonicNanos() - clock) / 1000)
        journal.append(StepRecord(sequence: engineState.sequence, state: state, agent: "branch", outcome: .ok, startedAt: started,
                                  durationMicros: micros, detail: ["decision": decision.json, "next": .string(target)]))
        return target
    }

    /// Parks the interaction after a step that asked the customer or an operator something.
    private mutating func wait(_ park: Park, state: String, step: StepRecord) async throws(StoreError) -> InteractionRecord {
        journal.append(step)
        let now = Clock.unixMillis()
        let status: InteractionStatus
        let wakeAt: Int64?
        let reason: String
        switch park {
        case .awaitingReply(let seconds):
            status = .awaitingReply
            wakeAt = now + seconds * 1000
            reason = "waiting for the customer's reply"
        case .awaitingApproval(let policy, let seconds):
            status = .awaitingApproval
            wakeAt = seconds.map { now + $0 * 1000 }
            reason = "waiting for an operator to approve (\(policy))"
        }
        let update = InteractionUpdate(status: status, flow: record.flow, state: state, configVersion: snapshot.version,
                                       context: withEngineState(), reason: reason, attempts: record.attempts, wakeAt: wakeAt, at: now)
        try await journal.flush(update: update)
        if case .awaitingReply = park, let customer = record.interaction.from.customerKey, let wakeAt {
            try await core.store.openConversation(tenant: record.tenant, customer: customer, id: record.id,
                                                  expiresAt: wakeAt + core.options.conversationGraceSeconds * 1000)
        }
        return apply(update)
    }

    /// A step failed without a transition for its outcome: try it again later, or give up.
    private mutating func retryLater(state: String, reason: String) async throws(StoreError) -> InteractionRecord {
        let attempts = record.attempts + 1
        guard attempts < core.options.maxAttempts else {
            return try await end(.dead, reason: "gave up after \(attempts) attempts at \(state): \(reason)", state: state)
        }
        let cap = core.options.retryCapSeconds
        let backoff = min(cap, core.options.retryBaseSeconds * Double(1 << min(attempts - 1, 20)))
        let wait = Int64((backoff * Double.random(in: 0.5...1.0)) * 1000)  // jitter: never all at once
        let wakeAt = Clock.unixMillis() + wait
        record.attempts = attempts
        let update = InteractionUpdate(status: .retrying, flow: record.flow, state: state, configVersion: snapshot.version,
                                       context: withEngineState(),
                                       reason: "retrying \(state) (attempt \(attempts + 1) at \(Timestamp.iso8601(millis: wakeAt))): \(reason)",
                                       attempts: attempts, wakeAt: wakeAt)
        try await journal.flush(update: update)
        return apply(update)
    }

    /// Reaches a final state: compensations first when it is `failed`, and the outcome-complete
    /// check when it is `completed`.
    private mutating func finish(_ final: FinalState, flow: Flow, state: String) async throws(StoreError) -> InteractionRecord {
        var status: InteractionStatus = final.result == .completed ? .completed : .failed
        var reason = final.reason
        if final.result == .failed {
            await compensate(flow: flow, before: state)
        } else if !engineState.missingForCompletion.isEmpty {
            status = .failed
            reason = "reached \(state) but " + engineState.missingForCompletion.joined(separator: ", ")
        }
        return try await end(status, reason: reason, state: state)
    }

    /// Runs the compensations owed by succeeded steps, newest first, each journaled as a step,
    /// before `state` runs, and records what they undid under `compensation` in the context.
    /// Steps in `skipping` (on the failure path themselves) keep theirs until the flow ends.
    private mutating func compensate(flow: Flow, before state: String, skipping: Set<String> = []) async {
        let owed = engineState.compensations.filter { !skipping.contains($0) }
        var summary = CompensationSummary(context["compensation"])
        for owner in owed.reversed() {
            let actions = flow.states[owner]?.step?.compensation ?? []
            for (index, action) in actions.enumerated() {
                guard let agent = core.agents[action.agent] else { continue }
                let name = "compensate/\(owner)/\(index)"
                // The owner's visit: a flow that books again (or a replay) undoes with fresh keys.
                engineState.visits[name] = engineState.visits[owner] ?? 0
                let compensation = FlowStep(agent: action.agent, parameters: action.parameters, transitions: [:])
                let deadline = Clock.monotonicNanos() + 60_000_000_000
                // A crash here resumes at `state`, which runs what is still owed, with the same keys.
                let checkpoint = InteractionUpdate(status: .running, flow: flow.name, state: state, configVersion: snapshot.version,
                                                   context: withEngineState(), attempts: record.attempts)
                let output = await runStep(agent, step: compensation, state: name, resumption: nil, deadline: deadline,
                                           checkpoint: checkpoint, compensating: owner)
                context.merge(output.result.delta)
                summary.add(output.result, state: name, agent: action.agent)
                if output.outcome == .error {
                    engineState.flags.append("\(name): \(output.result.decision.summary) — undo it by hand")
                }
                journal.append(output.record)
                if agent.hasEffects { journal.flushSoon() }
            }
            engineState.compensations.removeAll { $0 == owner }
        }
        if !owed.isEmpty || context["compensation"] == nil { context["compensation"] = summary.json }
    }

    /// Writes the interaction's final (or dead) status with everything pending.
    private mutating func end(_ status: InteractionStatus, reason: String?, flow: String? = nil, state: String?) async throws(StoreError)
        -> InteractionRecord {
        let update = InteractionUpdate(status: status, flow: record.flow ?? flow, state: state, configVersion: snapshot.version,
                                       context: withEngineState(), reason: reason, attempts: record.attempts, wakeAt: nil)
        try await journal.flush(update: update)
        if let customer = record.interaction.from.customerKey, record.status == .awaitingReply || status.isFinal {
            try? await core.store.closeConversation(tenant: record.tenant, customer: customer, id: record.id)
        }
        let elapsed = Double(Clock.unixMillis() - record.interaction.receivedAt) / 1000
        core.metrics.finished(tenant: record.tenant, status: status, seconds: elapsed)
        return apply(update)
    }

    /// The record as `update` (just written) left it.
    private mutating func apply(_ update: InteractionUpdate) -> InteractionRecord {
        record.status = update.status
        record.flow = update.flow ?? record.flow
        record.state = update.state ?? record.state
        record.reason = update.reason
        record.wakeAt = update.wakeAt
        record.context = withEngineState()
        record.configVersion = snapshot.version
        record.updatedAt = update.at
        return record
    }

    private func withEngineState() -> JSONObject {
        var copy = context
        copy[EngineState.key] = engineState.json
        return copy
    }
}
