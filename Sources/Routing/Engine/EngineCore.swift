import Agents
import Integration
import Model
import Storage
import Synchronization

/// What every execution shares: the store, the agents, the provider runtime and the metrics.
final class EngineCore: Sendable {
    let store: any InteractionStore
    /// The store as several nodes share it (PostgreSQL); nil for a store only this node uses.
    let leases: (any LeasedStore)?
    let agents: AgentRegistry
    let runtime: IntegrationRuntime
    let options: EngineOptions
    let metrics: EngineMetrics
    let slotHolds = SlotHolds()
    /// Callers waiting on the phone for executions' answers.
    let calls = LiveCalls()
    /// Providers per tenant configuration version, built once.
    private let providerCache = Mutex<[String: TenantProviders]>([:])

    init(store: any InteractionStore, agents: AgentRegistry, runtime: IntegrationRuntime, options: EngineOptions,
         metrics: EngineMetrics) {
        self.store = store
        leases = store as? any LeasedStore
        self.agents = agents
        self.runtime = runtime
        self.options = options
        self.metrics = metrics
    }

    func providers(for snapshot: TenantSnapshot) -> TenantProviders {
        let key = "\(snapshot.id.rawValue)@\(snapshot.version)"
        if let cached = providerCache.withLock({ $0[key] }) { return cached }
        var built = TenantProviders(config: snapshot.config, runtime: runtime)
        if let decorate = options.decorateProviders { built = decorate(built, snapshot) }
        built = RecordingProviders.wrap(built)
        providerCache.withLock { cache in
            if cache.count > 4096 { cache.removeAll() }  // reloads leave old versions behind
            cache[key] = built
        }
        return built
    }

    func ledger(for tenant: String) -> any InteractionLedger { StoreLedger(store: store, tenant: tenant) }
}

/// Other interactions of one tenant, through the store.
struct StoreLedger: InteractionLedger {
    let store: any InteractionStore
    let tenant: String

    func context(of id: InteractionID) async -> JSONObject? {
        (try? await store.interaction(tenant: tenant, id: id))??.context
    }

    func annotate(_ id: InteractionID, with delta: JSONObject) async throws {
        try await store.annotate(tenant: tenant, id: id, with: delta)
    }

    func bookings(service: String, from: Int64, to: Int64) async -> Int {
        (try? await store.bookings(tenant: tenant, service: service, from: from, to: to)) ?? 0
    }

    func visits(customer: String) async -> CustomerVisits {
        // One page of the customer's completed interactions, newest first (index interactions_by_customer).
        guard let page = try? await store.interactions(tenant: tenant, status: .completed, since: nil, customer: customer,
                                                       limit: 100, cursor: nil) else { return CustomerVisits() }
        let starts = page.records.compactMap { record -> Int64? in
            guard case .object(let booking)? = record.context["booking"], booking["id"]?.stringValue != nil else { return nil }
            return booking["start"]?.stringValue.flatMap(Timestamp.parseISO8601).map { $0 / 1000 }
        }
        return CustomerVisits(count: starts.count, lastStart: starts.max())
    }
}
