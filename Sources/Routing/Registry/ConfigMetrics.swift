import Model

/// The registry's metrics: reload attempts by result and their duration (counted as they happen),
/// and per-file error state and tenant count (read from the registry at scrape time).
final class ConfigMetrics: Sendable {
    private let metrics: MetricsRegistry
    private let succeeded: Counter
    private let failed: Counter
    private let removed: Counter
    private let listingFailed: Counter
    private let duration: Histogram

    init(_ metrics: MetricsRegistry) {
        self.metrics = metrics
        let name = "switchboard_config_reloads_total"
        let help = "Tenant files loaded, by result: success (published), failure (rejected; the last good version serves), removed."
        succeeded = metrics.counter(name, help: help, labels: ["result": "success"])
        failed = metrics.counter(name, help: help, labels: ["result": "failure"])
        removed = metrics.counter(name, help: help, labels: ["result": "removed"])
        listingFailed = metrics.counter("switchboard_config_directory_errors_total", help: "Reloads that could not list the tenants folder.")
        duration = metrics.histogram("switchboard_config_reload_duration_seconds", help: "Time to read, validate and publish changed tenant files.")
    }

    func attach(to registry: TenantRegistry) {
        metrics.addCollector { [weak registry] writer in
            guard let registry else { return }
            let statuses = registry.statuses
            writer.family("switchboard_config_tenants_loaded", help: "Tenants being served.", kind: .gauge)
            writer.sample("switchboard_config_tenants_loaded", labels: Labels(), value: registry.tenantCount)
            writer.family("switchboard_config_last_reload_error",
                          help: "1 when the last load of a tenant file failed (its last good version keeps serving), else 0.", kind: .gauge)
            for status in statuses {
                let file = String(status.path.split(separator: "/").last ?? "")
                let tenant = status.snapshot?.id.rawValue ?? ""
                writer.sample("switchboard_config_last_reload_error", labels: ["tenant": tenant, "file": file],
                              value: status.lastError == nil ? 0 : 1)
            }
            writer.family("switchboard_config_last_reload_timestamp_seconds", help: "When tenant files were last reloaded.", kind: .gauge)
            writer.sample("switchboard_config_last_reload_timestamp_seconds", labels: Labels(), value: Double(registry.lastReloadMillis) / 1000)
        }
    }

    func record(_ summary: ReloadSummary, seconds: Double) {
        succeeded.increment(by: summary.loaded.count + summary.updated.count)
        failed.increment(by: summary.failed.count)
        removed.increment(by: summary.removed.count)
        duration.observe(seconds: seconds)
    }

    func recordListingFailure() { listingFailed.increment() }
}
