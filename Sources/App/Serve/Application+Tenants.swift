import Model
import Native
import Routing

extension Application {
    /// Starts watching the tenants folder (the files were loaded when the application was made).
    /// A folder that cannot be watched is logged; SIGHUP still reloads it.
    func startWatchingTenants() {
        guard options.watchTenants else { return }
        do {
            try tenants.startWatching()
        } catch {
            tenantLogger.error("cannot watch the tenants folder; send SIGHUP to reload it", ["error": .string(error.description)])
        }
    }

    /// SIGHUP: re-reads every tenant file, and tells an in-process sandbox about new tenants.
    func reloadTenants() {
        let summary = tenants.reload()
        tenantLogger.info("tenants reloaded", ["summary": .string(summary.description)])
        if let sandbox { SandboxWiring.register(tenants.snapshots, on: sandbox, publicURL: environment["SWITCHBOARD_PUBLIC_URL"] ?? "") }
    }

    /// The readiness check's part: at least one tenant is being served.
    static func tenantReadiness(_ tenants: TenantRegistry) -> [String] {
        tenants.tenantCount == 0 ? ["tenants"] : []
    }

    var tenantLogger: Logger { Self.configLogger }

    private static let configLogger = Logger(label: "config")
}

extension TenantRegistry: TenantLookup {}
