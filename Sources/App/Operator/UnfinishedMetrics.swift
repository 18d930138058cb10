import Model
import Native
import Routing
import Storage
import Synchronization

/// `/metrics` figures about work the engine still owes, per tenant and status:
/// `switchboard_unfinished_interactions` and `switchboard_oldest_unfinished_age_seconds` (the age
/// of the oldest one, computed at scrape time from its receipt). The counts come from the journal
/// every `intervalSeconds` with one indexed, tenant-scoped query per tenant.
final class UnfinishedMetrics: Sendable {
    private let store: any InteractionStore
    private let tenants: TenantRegistry
    private let intervalSeconds: Double
    private let figures = Mutex<[String: [UnfinishedFigures]]>([:])
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(store: any InteractionStore, tenants: TenantRegistry, metrics: MetricsRegistry, intervalSeconds: Double = 10) {
        self.store = store
        self.tenants = tenants
        self.intervalSeconds = intervalSeconds
        metrics.addCollector { [weak self] writer in
            guard let self else { return }
            Self.write(self.figures.withLock { $0 }, now: Clock.unixMillis(), into: &writer)
        }
    }

    static let unfinishedStatuses: [InteractionStatus] = [.accepted, .running, .retrying, .awaitingReply, .awaitingApproval]

    static func write(_ figures: [String: [UnfinishedFigures]], now: Int64, into writer: inout PrometheusWriter) {
        writer.family("switchboard_unfinished_interactions", help: "Interactions not finished yet, by tenant and status.", kind: .gauge)
        let sorted = figures.sorted { $0.key < $1.key }
        for (tenant, rows) in sorted {
            // Every unfinished status of every tenant, zeros included, so the series stay continuous.
            for status in unfinishedStatuses {
                writer.sample("switchboard_unfinished_interactions", labels: ["tenant": tenant, "status": status.rawValue],
                              value: rows.first { $0.status == status }?.count ?? 0)
            }
        }
        writer.family("switchboard_oldest_unfinished_age_seconds",
                      help: "Age of the oldest unfinished interaction, by tenant and status (awaiting_* may wait on purpose).", kind: .gauge)
        for (tenant, rows) in sorted {
            for row in rows {
                writer.sample("switchboard_oldest_unfinished_age_seconds", labels: ["tenant": tenant, "status": row.status.rawValue],
                              value: Double(max(0, now - row.oldestCreatedAt)) / 1000)
            }
        }
    }

    /// Reads the figures now, then every interval until `stop()`.
    func start() {
        let interval = UInt64(intervalSeconds * 1e9)
        let started = Task { [weak self] in
            while !Task.isCancelled {
                await self?.refresh()
                try? await Task.sleep(nanoseconds: interval)
            }
        }
        task.withLock { $0 = started }
    }

    func stop() {
        task.withLock { $0?.cancel() }
    }

    func refresh() async {
        var fresh: [String: [UnfinishedFigures]] = [:]
        for snapshot in tenants.snapshots {
            let tenant = snapshot.id.rawValue
            // A failed read keeps the tenant's last figures rather than reporting none.
            if let rows = try? await store.unfinished(tenant: tenant) {
                fresh[tenant] = rows
            } else if let previous = figures.withLock({ $0[tenant] }) {
                fresh[tenant] = previous
            }
        }
        figures.withLock { $0 = fresh }
    }
}
