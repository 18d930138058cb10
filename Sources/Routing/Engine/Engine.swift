import Agents
import Integration
import Model
import Native
import Storage
import Synchronization

/// Runs interactions through their tenant's flows: right after they are accepted, again after a
/// crash or a retry delay, when a customer replies, when an operator decides, and when a wait
/// times out.
///
/// ```swift
/// let engine = Engine(store: store, tenants: registry, runtime: runtime, metrics: registry)
/// engine.start()                    // recovers unfinished work, then watches for due waits
/// engine.execute(acceptedRecord)    // returns at once; the execution runs as a task
/// ```
public final class Engine: Sendable {
    let core: EngineCore
    let tenants: any TenantLookup
    private let gate = TenantGate()
    private let running = Mutex<Set<String>>([])
    private let waiters = Mutex<[String: [Waiter]]>([:])
    private let scheduler = Mutex<Task<Void, Never>?>(nil)
    private let logger = Logger(label: "engine")

    public init(store: any InteractionStore, tenants: any TenantLookup, runtime: IntegrationRuntime, metrics: MetricsRegistry,
                options: EngineOptions = EngineOptions(), agents: AgentRegistry = AgentRegistry()) {
        core = EngineCore(store: store, agents: agents, runtime: runtime, options: options, metrics: EngineMetrics(registry: metrics))
        self.tenants = tenants
    }

    public var store: any InteractionStore { core.store }

    /// Callers on the phone waiting for executions' answers (the voice channel).
    public var liveCalls: LiveCalls { core.calls }

    /// Starts the scheduler: unfinished interactions (after a crash) run again, retries and
    /// timeouts run when due.
    public func start() {
        let interval = UInt64(core.options.schedulerIntervalMillis) * 1_000_000
        let task = Task { [weak self] in
            var lastFullScan: UInt64 = 0
            while !Task.isCancelled {
                // Work left unfinished (by a crash, or deferred for a missing tenant) is looked for at
                // start and every minute; waits that come due are looked for every tick.
                let now = Clock.monotonicNanos()
                let full = lastFullScan == 0 || now - lastFullScan > 60_000_000_000
                if full { lastFullScan = now }
                await self?.runDue(includeUnfinished: full)
                try? await Task.sleep(nanoseconds: interval)
            }
        }
        scheduler.withLock { $0 = task }
    }

    /// Stops the scheduler and waits (up to `timeoutSeconds`) for running executions to reach a
    /// durable point. Whatever is still running resumes from its journal on the next start.
    public func shutdown(timeoutSeconds: Double) async {
        scheduler.withLock { $0?.cancel() }
        let deadline = Clock.monotonicNanos() + UInt64(timeoutSeconds * 1e9)
        while Clock.monotonicNanos() < deadline, running.withLock({ !$0.isEmpty }) {
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    /// Executions running now.
    public var runningCount: Int { running.withLock { $0.count } }

    /// Starts executing `record` unless it is already running here.
    public func execute(_ record: InteractionRecord, resumption: Resumption? = nil) {
        guard claim(record) else { return }
        Task { await self.drive(record, resumption: resumption) }
    }

    /// Ends an interaction's wait now, as if its timeout had passed (a caller hung up on a
    /// question asked on the call).
    public func expireWait(_ record: InteractionRecord) {
        execute(record, resumption: .timeout)
    }

    private static func key(_ tenant: String, _ id: InteractionID) -> String { "\(tenant)/\(id.rawValue)" }

    private func claim(_ record: InteractionRecord) -> Bool {
        running.withLock { $0.insert(Self.key(record.tenant, record.id)).inserted }
    }

    private func release(_ record: InteractionRecord) {
        _ = running.withLock { $0.remove(Self.key(record.tenant, record.id)) }
    }

    /// Runs a claimed record to its next stop, then wakes whoever waits for it.
    private func drive(_ record: InteractionRecord, resumption: Resumption?) async {
        core.metrics.running.increment()
        defer { core.metrics.running.decrement() }
        var result: InteractionRecord?
        guard let snapshot = tenants.snapshot(for: TenantID(record.tenant)) else {
            logger.warning("no configuration for tenant; execution deferred", ["tenant": .string(record.tenant),
                                                                             "interaction": .string(record.id.rawValue)])
            release(record)
            return
        }
        let limit = snapshot.config.access.limits.concurrentExecutions
        await gate.enter(record.tenant, limit: limit)
        do {
            if let delivered = try await deliverAsReply(record, snapshot: snapshot) {
                result = delivered
            } else {
                var execution = Execution(core: core, snapshot: snapshot, record: record)
                result = try await execution.run(resumption: resumption)
            }
        } catch {
            logger.error("execution stopped by the store; it resumes from the journal",
                         ["tenant": .string(record.tenant), "interaction": .string(record.id.rawValue),
                          "error": .string(error.description)])
        }
        gate.leave(record.tenant)
        release(record)
        if let result { notifyWaiters(result) }
    }

    /// An SMS from a customer with an open question continues that conversation: the waiting
    /// interaction resumes with the reply, and this one ends as "delivered". Returns nil when it
    /// is not a reply.
    private func deliverAsReply(_ record: InteractionRecord, snapshot: TenantSnapshot) async throws(StoreError) -> InteractionRecord? {
        guard record.interaction.channel == .sms || record.interaction.channel == .voice, record.flow == nil,
              let customer = record.interaction.from.customerKey else { return nil }
        var parentID = record.context["reply_to"]?.stringValue.flatMap(InteractionID.init)
        if parentID == nil {
            parentID = try await core.store.conversation(tenant: record.tenant, customer: customer, now: Clock.unixMillis())
        }
        guard let parentID, parentID != record.id else { return nil }
        // Durable link first: after a crash this record knows which conversation it belongs to.
        try await core.store.commit(step: nil, tenant: record.tenant, id: record.id,
                                    update: InteractionUpdate(status: .running, context: ["reply_to": .string(parentID.rawValue)],
                                                              reason: "reply to \(parentID.rawValue)"))
        if let parent = try await core.store.interaction(tenant: record.tenant, id: parentID), parent.status == .awaitingReply {
            if claim(parent) {
                var execution = Execution(core: core, snapshot: tenants.snapshot(for: TenantID(parent.tenant)) ?? snapshot, record: parent)
                let resumed = try await execution.run(resumption: .reply(text: record.interaction.text ?? ""))
                release(parent)
                notifyWaiters(resumed)
            }
        }
        var done = record
        done.status = .completed
        done.flow = "conversation"
        done.reason = "reply delivered to \(parentID.rawValue)"
        done.context = ["reply_to": .string(parentID.rawValue)]
        try await core.store.commit(step: nil, tenant: record.tenant, id: record.id,
                                    update: InteractionUpdate(status: .completed, flow: "conversation", reason: done.reason))
        return done
    }

    /// Runs whatever is due: work left by a crash, retries, and waits that timed out.
    func runDue(includeUnfinished: Bool) async {
        guard let due = try? await core.store.due(now: Clock.unixMillis(), limit: 256, includeUnfinished: includeUnfinished) else { return }
        for record in due {
            switch record.status {
            case .awaitingReply, .awaitingApproval: execute(record, resumption: .timeout)
            default: execute(record)
            }
        }
    }

    // MARK: - Operator actions

    /// Approves or rejects an interaction waiting for approval, and runs it on.
    public func decide(tenant: String, id: InteractionID, approve: Bool, by: String, note: String?) async throws(EngineError)
        -> InteractionRecord {
        let record = try await load(tenant: tenant, id: id)
        guard record.status == .awaitingApproval else {
            throw EngineError(.conflict, "interaction \(id) is \(record.status.rawValue), not awaiting_approval")
        }
        return try await runNow(record, resumption: .approval(approved: approve, by: by, note: note))
    }

    /// Runs a failed or dead interaction again: a dead one from the step that gave up, a failed
    /// one from the start of its flow (with fresh effect keys, so it really acts again).
    public func replay(tenant: String, id: InteractionID) async throws(EngineError) -> InteractionRecord {
        var record = try await load(tenant: tenant, id: id)
        guard record.status == .failed || record.status == .dead else {
            throw EngineError(.conflict, "interaction \(id) is \(record.status.rawValue); only failed or dead ones can be replayed")
        }
        if record.status == .failed {
            var context = record.context
            var state = EngineState(context)
            state.compensations = []
            state.confirmedCustomer = false
            state.notifiedOperator = false
            state.updatedRecord = false
            context[EngineState.key] = state.json
            record.context = context
            // Back to the start of the flow; the visit counts stay, so effects get fresh keys.
            record.state = record.flow.flatMap { tenants.snapshot(for: TenantID(tenant))?.config.flows[$0]?.start }
        }
        record.attempts = 0
        do {
            try await core.store.commit(step: nil, tenant: tenant, id: id,
                                        update: InteractionUpdate(status: .accepted, state: record.state, context: record.context,
                                                                  reason: "replayed by an operator", attempts: 0))
        } catch {
            throw EngineError(.unavailable, error.description)
        }
        record.status = .accepted
        return try await runNow(record, resumption: nil)
    }

    private func load(tenant: String, id: InteractionID) async throws(EngineError) -> InteractionRecord {
        let found: InteractionRecord?
        do {
            found = try await core.store.interaction(tenant: tenant, id: id)
        } catch {
            throw EngineError(.unavailable, error.description)
        }
        guard let found else { throw EngineError(.notFound, "no interaction \(id)") }
        return found
    }

    /// Runs `record` in the caller's task and returns where it stopped.
    private func runNow(_ record: InteractionRecord, resumption: Resumption?) async throws(EngineError) -> InteractionRecord {
        guard claim(record) else { throw EngineError(.conflict, "interaction \(record.id) is running; try again shortly") }
        defer { release(record) }
        guard let snapshot = tenants.snapshot(for: TenantID(record.tenant)) else {
            throw EngineError(.unavailable, "tenant \(record.tenant) has no loaded configuration")
        }
        do {
            var execution = Execution(core: core, snapshot: snapshot, record: record)
            let result = try await execution.run(resumption: resumption)
            notifyWaiters(result)
            return result
        } catch {
            throw EngineError(.unavailable, error.description)
        }
    }

    // MARK: - Waiting for outcomes (Prefer: wait=N)

    private final class Waiter: Sendable {
        private let state = Mutex<(continuation: CheckedContinuation<InteractionRecord?, Never>?, timer: Task<Void, Never>?)>((nil, nil))

        init(_ continuation: CheckedContinuation<InteractionRecord?, Never>) {
            state.withLock { $0.continuation = continuation }
        }

        func setTimer(_ timer: Task<Void, Never>) {
            state.withLock { $0.timer = timer }
        }

        /// Resumes the waiting caller once; later calls do nothing.
        func resume(_ record: InteractionRecord?) {
            let (continuation, timer) = state.withLock { state in
                defer { state = (nil, nil) }
                return (state.continuation, state.timer)
            }
            timer?.cancel()
            continuation?.resume(returning: record)
        }
    }

    /// The interaction once it ends or waits, or nil if that takes longer than `seconds`.
    public func outcome(tenant: String, id: InteractionID, waitingUpTo seconds: Double) async -> InteractionRecord? {
        let key = Self.key(tenant, id)
        return await withCheckedContinuation { continuation in
            let waiter = Waiter(continuation)
            waiters.withLock { $0[key, default: []].append(waiter) }
            waiter.setTimer(Task {
                // It may have stopped before the waiter was registered.
                if let record = try? await core.store.interaction(tenant: tenant, id: id),
                   !running.withLock({ $0.contains(key) }), record.status != .accepted, record.status != .running {
                    removeWaiter(waiter, key: key)
                    waiter.resume(record)
                    return
                }
                try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1e9))
                guard !Task.isCancelled else { return }
                removeWaiter(waiter, key: key)
                waiter.resume(nil)
            })
        }
    }

    private func removeWaiter(_ waiter: Waiter, key: String) {
        waiters.withLock { waiters in
            waiters[key]?.removeAll { $0 === waiter }
            if waiters[key]?.isEmpty == true { waiters[key] = nil }
        }
    }

    private func notifyWaiters(_ record: InteractionRecord) {
        guard record.status != .running, record.status != .accepted else { return }
        let found = waiters.withLock { $0.removeValue(forKey: Self.key(record.tenant, record.id)) } ?? []
        for waiter in found { waiter.resume(record) }
    }
}
