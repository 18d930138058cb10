import Model
import Synchronization

/// The `ProviderGuard` of every (tenant, provider) pair, created on first use.
public final class ResilienceRegistry: Sendable {
    private struct Key: Hashable {
        var tenant: String
        var provider: String
    }

    private let metrics: MetricsRegistry
    private let guards = Mutex<[Key: ProviderGuard]>([:])

    public init(metrics: MetricsRegistry) {
        self.metrics = metrics
    }

    /// The guard for `tenant` and `provider` (the integration's name), adopting `policy`.
    public func guardFor(tenant: String, provider: String, policy: ResiliencePolicy, now: UInt64) -> ProviderGuard {
        let key = Key(tenant: tenant, provider: provider)
        if let existing = guards.withLock({ $0[key] }) {
            existing.adopt(policy, now: now)
            return existing
        }
        // Metrics registration takes the registry's lock; do it outside ours.
        let created = ProviderGuard(policy: policy, metrics: ProviderMetrics(registry: metrics, tenant: tenant, provider: provider), now: now)
        return guards.withLock { guards in
            if let raced = guards[key] { return raced }
            guards[key] = created
            return created
        }
    }
}
