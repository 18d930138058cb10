import Model
import Synchronization

/// The engine's figures for /metrics: interactions by tenant and outcome, resolution time, step
/// latency by agent, executions running.
final class EngineMetrics: Sendable {
    private let registry: MetricsRegistry
    let running: Gauge
    private let stepLatency = Mutex<[String: Histogram]>([:])

    init(registry: MetricsRegistry) {
        self.registry = registry
        running = registry.gauge("switchboard_executions_running", help: "Interactions executing now.")
    }

    func observeStep(agent: String, micros: Int64) {
        let histogram = stepLatency.withLock { cache -> Histogram in
            if let found = cache[agent] { return found }
            let made = registry.histogram("switchboard_step_duration_seconds", help: "Time a flow step took, by agent.",
                                          labels: ["agent": agent])
            cache[agent] = made
            return made
        }
        histogram.observe(micros: Int(micros))
    }

    func refusedForBacklog(tenant: String) {
        registry.counter("switchboard_backlog_refusals_total",
                         help: "New interactions refused because the tenant's backlog was full (access.limits.max_backlog), by tenant.",
                         labels: ["tenant": tenant]).increment()
    }

    func finished(tenant: String, status: InteractionStatus, seconds: Double) {
        registry.counter("switchboard_interactions_total", help: "Interactions that ended or stopped, by tenant and status.",
                         labels: ["tenant": tenant, "status": status.rawValue]).increment()
        // An ignored event resolved nothing: it is counted, not timed.
        if status.isFinal, status != .ignored {
            registry.histogram("switchboard_resolution_seconds", help: "Time from receipt to a final status, by tenant.",
                               labels: ["tenant": tenant], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600])
                .observe(seconds: seconds)
        }
    }
}
