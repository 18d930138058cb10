import Model
import Native
import Synchronization

/// What one reload changed.
public struct ReloadSummary: Sendable, Equatable, CustomStringConvertible {
    /// Tenants served for the first time.
    public var loaded: [TenantID] = []
    /// Tenants now served from a new version.
    public var updated: [TenantID] = []
    /// Tenants no longer served (their file was removed).
    public var removed: [TenantID] = []
    /// Files read and found unchanged.
    public var unchanged = 0
    /// Files that could not be used; their tenants keep their last good version.
    public var failed: [ConfigError] = []
    /// What each loaded, updated or removed tenant now serves, in the order it happened.
    public var changes: [ConfigChange] = []

    public init() {}

    public var description: String {
        "loaded \(loaded.count), updated \(updated.count), removed \(removed.count), unchanged \(unchanged), failed \(failed.count)"
    }
}

/// One tenant's configuration changing hands: the version now served (nil once it is no longer
/// served) and the one before it (nil when it was not served).
public struct ConfigChange: Sendable, Equatable {
    public var tenant: TenantID
    public var version: String?
    public var previous: String?
    /// The tenant file.
    public var source: String

    public init(tenant: TenantID, version: String?, previous: String?, source: String) {
        self.tenant = tenant
        self.version = version
        self.previous = previous
        self.source = source
    }
}

/// What made a reload happen.
public enum ReloadCause: String, Sendable {
    /// `reload()`: at start-up and on SIGHUP.
    case request
    /// The folder watcher saw a tenant file change.
    case fileChange = "file change"
}

extension TenantRegistry {
    /// What reading the files found, before anything is published.
    enum Change {
        case removed(name: String)
        case unchanged(name: String)
        case attempted(name: String, version: String, result: Result<TenantSnapshot, ConfigError>)
    }

    /// Reads the files and validates the changed ones (in parallel when there are many) without
    /// holding the state lock, so lookups go on meanwhile.
    func plan(names: [String], forceRetry: Bool) -> [Change] {
        let known = state.withLock { $0.files }
        var changes: [Change?] = []
        var toLoad: [(index: Int, name: String, bytes: [UInt8], version: String)] = []
        for name in names {
            let path = directory + "/" + name
            guard FileSystem.kind(of: path) == .file else {
                changes.append(known[name] == nil ? nil : .removed(name: name))
                continue
            }
            let bytes: [UInt8]
            do {
                bytes = try FileSystem.readFile(path, maxBytes: self.loader.maxFileBytes)
            } catch {
                // Gone between the listing and the read: an editor's rename, or a removal.
                if FileSystem.kind(of: path) == nil {
                    changes.append(known[name] == nil ? nil : .removed(name: name))
                    continue
                }
                let diagnostic = ConfigDiagnostic(location: SourceLocation(file: path, line: 1, column: 1), path: "",
                                                  message: "cannot read the file: \(error)")
                changes.append(.attempted(name: name, version: "", result: .failure(ConfigError(file: path, diagnostics: [diagnostic]))))
                continue
            }
            let version = TenantSnapshot.version(of: bytes)
            if let status = known[name], status.attemptedVersion == version, status.lastError == nil || !forceRetry {
                changes.append(.unchanged(name: name))
                continue
            }
            toLoad.append((changes.count, name, bytes, version))
            changes.append(nil)
        }
        let loader = self.loader
        let directory = self.directory
        let results = Parallel.map(toLoad, threads: NativeThread.availableCores) { item in
            do throws(ConfigError) {
                return Result<TenantSnapshot, ConfigError>.success(try loader.load(bytes: item.bytes, file: directory + "/" + item.name))
            } catch {
                return .failure(error)
            }
        }
        for (item, result) in zip(toLoad, results) {
            changes[item.index] = .attempted(name: item.name, version: item.version, result: result)
        }
        return changes.compactMap { $0 }
    }

    /// Publishes the changes at once: removals first (so a tenant may move to another file),
    /// then new and updated snapshots in file-name order.
    func apply(_ changes: [Change]) -> ReloadSummary {
        let now = Clock.unixMillis()
        return state.withLock { state in
            var summary = ReloadSummary()
            for case .removed(let name) in changes {
                if let snapshot = state.files.removeValue(forKey: name)?.snapshot, state.tenants[snapshot.id] === snapshot {
                    state.tenants[snapshot.id] = nil
                    summary.removed.append(snapshot.id)
                    summary.changes.append(ConfigChange(tenant: snapshot.id, version: nil, previous: snapshot.version, source: snapshot.source))
                }
            }
            for change in changes {
                switch change {
                case .removed: continue
                case .unchanged: summary.unchanged += 1
                case .attempted(let name, let version, let result):
                    let path = directory + "/" + name
                    var status = state.files[name] ?? FileStatus(path: path, lastAttemptMillis: now)
                    status.lastAttemptMillis = now
                    status.attemptedVersion = version
                    switch result {
                    case .failure(let error):
                        status.lastError = error
                        summary.failed.append(error)
                    case .success(let snapshot):
                        if let owner = state.tenants[snapshot.id], owner.source != path {
                            let error = TenantSet.duplicate(snapshot, owner: owner)
                            status.lastError = error
                            summary.failed.append(error)
                            break
                        }
                        // The file may now declare another tenant id than it did.
                        if let previous = status.snapshot, previous.id != snapshot.id, state.tenants[previous.id] === previous {
                            state.tenants[previous.id] = nil
                            summary.removed.append(previous.id)
                            summary.changes.append(ConfigChange(tenant: previous.id, version: nil, previous: previous.version, source: path))
                        }
                        if state.tenants[snapshot.id] == nil { summary.loaded.append(snapshot.id) } else { summary.updated.append(snapshot.id) }
                        summary.changes.append(ConfigChange(tenant: snapshot.id, version: snapshot.version,
                                                            previous: state.tenants[snapshot.id]?.version, source: path))
                        state.tenants[snapshot.id] = snapshot
                        status.snapshot = snapshot
                        status.lastError = nil
                    }
                    state.files[name] = status
                }
            }
            state.lastReloadMillis = now
            return summary
        }
    }

    func log(_ summary: ReloadSummary) {
        for id in summary.loaded + summary.updated {
            guard let snapshot = snapshot(for: id) else { continue }
            logger.info(summary.loaded.contains(id) ? "tenant loaded" : "tenant updated",
                        ["tenant": .string(id.rawValue), "version": .string(snapshot.version), "file": .string(snapshot.source)])
        }
        for id in summary.removed { logger.info("tenant removed", ["tenant": .string(id.rawValue)]) }
        for error in summary.failed {
            // Diagnostics name settings and positions, never secret values.
            logger.error("tenant file rejected; the last good version keeps serving",
                         ["file": .string(error.file), "problems": .array(error.diagnostics.map { .string($0.description) })])
        }
    }
}
