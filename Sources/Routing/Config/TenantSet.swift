import Model

/// The outcome of loading several tenant files together: the good snapshots and, per file,
/// what is wrong. A tenant id claimed by two files is an error on the later file.
public struct TenantSet: Sendable {
    public var snapshots: [TenantSnapshot]
    public var errors: [ConfigError]

    /// Loads `files` in order.
    public static func load(files: [String], loader: TenantConfigLoader) -> TenantSet {
        var set = TenantSet(snapshots: [], errors: [])
        var owners: [TenantID: TenantSnapshot] = [:]
        for file in files {
            do {
                let snapshot = try loader.load(path: file)
                if let owner = owners[snapshot.id] {
                    set.errors.append(duplicate(snapshot, owner: owner))
                    continue
                }
                owners[snapshot.id] = snapshot
                set.snapshots.append(snapshot)
            } catch {
                set.errors.append(error)
            }
        }
        return set
    }

    static func duplicate(_ snapshot: TenantSnapshot, owner: TenantSnapshot) -> ConfigError {
        ConfigError(file: snapshot.source, diagnostics: [ConfigDiagnostic(
            location: snapshot.idLocation, path: "tenant.id",
            message: "tenant id \"\(snapshot.id)\" is already used by \(owner.source); each tenant has one file")])
    }
}
