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
    let gate = TenantGate()
    /// Executions running in this process, by `key(tenant, id)`.
    let running = Mutex<Set<String>>([])
    let waiters = Mutex<[String: [Waiter]]>([:])
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
    /// durable point. Whatever is still running resumes from its journal on the next start — or,
    /// on a shared store, at once on another node: this node gives its leases up.
    public func shutdown(timeoutSeconds: Double) async {
        scheduler.withLock { $0?.cancel() }
        let deadline = Clock.monotonicNanos() + UInt64(timeoutSeconds * 1e9)
        while Clock.monotonicNanos() < deadline, running.withLock({ !$0.isEmpty }) {
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        if let leases = core.leases {
            do {
                try await leases.resign()
            } catch {
                logger.warning("could not give this node's leases up; other nodes take its work over when they run out",
                               ["error": .string(error.description)])
            }
        }
    }

    /// Executions running now.
    public var runningCount: Int { running.withLock { $0.count } }

    /// Starts executing `record` unless it is already running here.
    public func execute(_ record: InteractionRecord, resumption: Resumption? = nil) {
        guard claim(record.tenant, record.id) else { return }
        gate.announce(record.tenant)
        Task { await self.drive(record, resumption: resumption) }
    }

    /// Ends an interaction's wait now, as if its timeout had passed (a caller hung up on a
    /// question asked on the call): takes it (its lease, on a shared store) and runs it on with
    /// `timeout`. False when it is no longer waiting for a reply, or is running here or on another
    /// node; its own timeout then applies.
    public func expireWait(tenant: String, id: InteractionID) async throws(StoreError) -> Bool {
        guard let record = try await takeIfIdle(tenant: tenant, id: id) else { return false }
        guard record.status == .awaitingReply else {
            await giveUp(record)
            return false
        }
        gate.announce(record.tenant)
        Task { await self.drive(record, resumption: .timeout) }
        return true
    }

    static func key(_ tenant: String, _ id: InteractionID) -> String { "\(tenant)/\(id.rawValue)" }

    /// Marks `id` as running in this process; false if it already is. (On a shared store the
    /// lease is taken separately: `accept` and `due` lease what they return, `take` claims.)
    func claim(_ tenant: String, _ id: InteractionID) -> Bool {
        running.withLock { $0.insert(Self.key(tenant, id)).inserted }
    }

    func release(_ tenant: String, _ id: InteractionID) {
        _ = running.withLock { $0.remove(Self.key(tenant, id)) }
    }

    /// Runs a claimed record to its next stop, then wakes whoever waits for it.
    private func drive(_ record: InteractionRecord, resumption: Resumption?) async {
        core.metrics.running.increment()
        defer { core.metrics.running.decrement() }
        var result: InteractionRecord?
        guard let snapshot = tenants.snapshot(for: TenantID(record.tenant)) else {
            logger.warning("no configuration for tenant; execution deferred", ["tenant": .string(record.tenant),
                                                                             "interaction": .string(record.id.rawValue)])
            gate.withdraw(record.tenant)
            release(record.tenant, record.id)
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
        release(record.tenant, record.id)
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
        if let parent = try await takeIfIdle(tenant: record.tenant, id: parentID) {
            if parent.status == .awaitingReply {
                var execution = Execution(core: core, snapshot: tenants.snapshot(for: TenantID(parent.tenant)) ?? snapshot, record: parent)
                let resumed: InteractionRecord
                do {
                    resumed = try await execution.run(resumption: .reply(text: record.interaction.text ?? ""))
                } catch {
                    release(parent.tenant, parent.id)
                    throw error
                }
                release(parent.tenant, parent.id)
                notifyWaiters(resumed)
            } else {
                await giveUp(parent)
            }
        }
        var done = record
        done.status = .completed
        done.flow = "conversation"
        done.reason = "reply delivered to \(parentID.rawValue)"
        done.context = ["reply_to": .string(parentID.rawValue)]
        let update = InteractionUpdate(status: .completed, flow: "conversation", reason: done.reason)
        try await core.store.commit(step: nil, tenant: record.tenant, id: record.id, update: update)
        done.updatedAt = update.at
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
}
