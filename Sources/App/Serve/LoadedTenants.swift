import Model
import Native
import Routing
import Synchronization

/// The tenant files of a folder, loaded and validated at start.
final class LoadedTenants: TenantLookup, Sendable {
    private let state: Mutex<(snapshots: [TenantID: TenantSnapshot], errors: [ConfigError])>

    init(directory: String, environment: [String: String]) {
        let loader = TenantConfigLoader(environment: environment)
        let files = (try? TenantDirectory.files(in: directory)) ?? []
        let set = TenantSet.load(files: files, loader: loader)
        state = Mutex((Dictionary(set.snapshots.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }), set.errors))
    }

    func snapshot(for tenant: TenantID) -> TenantSnapshot? { state.withLock { $0.snapshots[tenant] } }

    var all: [TenantSnapshot] { state.withLock { $0.snapshots.values.sorted { $0.id < $1.id } } }

    var errors: [ConfigError] { state.withLock { $0.errors } }
}
