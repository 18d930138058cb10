import Model
import Native

/// The outcome of loading several tenant files together: the good snapshots and, per file,
/// what is wrong. A tenant id claimed by two files is an error on the later file.
public struct TenantSet: Sendable {
    public var snapshots: [TenantSnapshot]
    public var errors: [ConfigError]

    /// Loads `files`, in parallel on up to `threads` threads (default: the cores this process may
    /// use) when there are many; the result is in file order whatever the parallelism. Blocks the
    /// calling thread: call it from a thread of its own, not from a Swift task.
    public static func load(files: [String], loader: TenantConfigLoader, threads: Int? = nil) -> TenantSet {
        let results = loadEach(files: files, loader: loader, threads: threads ?? NativeThread.availableCores)
        var set = TenantSet(snapshots: [], errors: [])
        var owners: [TenantID: TenantSnapshot] = [:]
        for result in results {
            switch result {
            case .success(let snapshot):
                if let owner = owners[snapshot.id] {
                    set.errors.append(duplicate(snapshot, owner: owner))
                    continue
                }
                owners[snapshot.id] = snapshot
                set.snapshots.append(snapshot)
            case .failure(let error):
                set.errors.append(error)
            }
        }
        return set
    }

    static func loadEach(files: [String], loader: TenantConfigLoader, threads: Int) -> [Result<TenantSnapshot, ConfigError>] {
        Parallel.map(files, threads: threads) { path in
            do throws(ConfigError) { return .success(try loader.load(path: path)) } catch { return .failure(error) }
        }
    }

    static func duplicate(_ snapshot: TenantSnapshot, owner: TenantSnapshot) -> ConfigError {
        ConfigError(file: snapshot.source, diagnostics: [ConfigDiagnostic(
            location: snapshot.idLocation, path: "tenant.id",
            message: "tenant id \"\(snapshot.id)\" is already used by \(owner.source); each tenant has one file")])
    }
}
