import Model

/// The backlog: interactions this process has started to execute that still wait for one of
/// their tenant's execution slots (`access.limits.concurrent_executions`). New work is refused
/// while a tenant's backlog is at `access.limits.max_backlog`, so a burst costs the tenant
/// latency and a Retry-After, never unbounded memory or other tenants' turn.
extension Engine {
    /// Executions of `tenant` waiting for a slot in this process.
    public func backlog(of tenant: String) -> Int { gate.backlog(tenant) }

    /// Whether a new interaction for the tenant may be taken on now. A refusal is counted in
    /// `switchboard_backlog_refusals_total`; the caller answers it before storing anything.
    public func hasRoom(for snapshot: TenantSnapshot) -> Bool {
        let tenant = snapshot.id.rawValue
        guard backlog(of: tenant) >= snapshot.config.access.limits.maxBacklog else { return true }
        core.metrics.refusedForBacklog(tenant: tenant)
        return false
    }

    /// Seconds a refused sender should wait: long enough for a full backlog to drain at a slot's
    /// pace of about one execution a second, between 1 and 30.
    public func backlogRetryAfter(for snapshot: TenantSnapshot) -> Int {
        let limits = snapshot.config.access.limits
        return min(30, max(1, backlog(of: snapshot.id.rawValue) / max(1, limits.concurrentExecutions)))
    }
}
