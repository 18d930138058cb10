import Model
import Native
import Routing

extension Application {
    /// The registry for `options.tenantsDirectory`, resolving `${VAR}` from `options.environment`.
    static func makeTenantRegistry(options: ServeOptions, metrics: MetricsRegistry) -> TenantRegistry {
        TenantRegistry(directory: options.tenantsDirectory, loader: TenantConfigLoader(environment: options.environment),
                       metrics: metrics)
    }

    /// Loads every tenant file and starts watching the folder. A folder that cannot be watched
    /// is logged; SIGHUP still reloads it.
    func startTenants() {
        let summary = tenants.reload()
        tenantLogger.info("tenants loaded", ["folder": .string(options.tenantsDirectory), "tenants": .int(Int64(tenants.tenantCount)),
                                            "failed": .int(Int64(summary.failed.count))])
        guard options.watchTenants else { return }
        do {
            try tenants.startWatching()
        } catch {
            tenantLogger.error("cannot watch the tenants folder; send SIGHUP to reload it", ["error": .string(error.description)])
        }
    }

    /// SIGHUP: re-reads every tenant file.
    func reloadTenants() {
        let summary = tenants.reload()
        tenantLogger.info("tenants reloaded", ["summary": .string(summary.description)])
    }

    /// The readiness check's part: at least one tenant is being served.
    static func tenantReadiness(_ tenants: TenantRegistry) -> [String] {
        tenants.tenantCount == 0 ? ["tenants"] : []
    }

    var tenantLogger: Logger { Self.configLogger }

    private static let configLogger = Logger(label: "config")
}
