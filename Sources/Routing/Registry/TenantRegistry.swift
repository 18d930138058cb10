import Model
import Native
import Synchronization

/// The tenants being served: one immutable snapshot per tenant, published atomically.
///
/// ```swift
/// let registry = TenantRegistry(directory: "tenants", loader: TenantConfigLoader(environment: env), metrics: metrics)
/// registry.reload()                  // at start-up and on SIGHUP
/// try registry.startWatching()       // inotify: edits apply within the debounce
/// let snapshot = registry.snapshot(for: "acme-plumbing")   // an execution keeps this one
/// ```
///
/// A file that fails validation leaves its tenant's last good snapshot serving and records the
/// problems (`statuses`, the `switchboard_config_last_reload_error` metric, the log). Removing a
/// file stops serving its tenant. Lookups take a short lock and never wait for a reload.
public final class TenantRegistry: Sendable {
    /// The state of one tenant file.
    public struct FileStatus: Sendable {
        public var path: String
        /// The snapshot this file serves (its last good version), if any.
        public var snapshot: TenantSnapshot?
        /// Why the last attempt to load the file failed; nil when it succeeded.
        public var lastError: ConfigError?
        /// When the file was last loaded or tried, in Unix milliseconds.
        public var lastAttemptMillis: Int64
        /// The hash of the bytes last tried.
        var attemptedVersion: String?
    }

    public let directory: String
    let loader: TenantConfigLoader
    let state = Mutex<State>(State())
    private let reloadLock = Mutex<Void>(())
    private let watcher = Mutex<DirectoryWatcher?>(nil)
    private let observer = Mutex<(@Sendable (ReloadSummary, ReloadCause) -> Void)?>(nil)
    private let metrics: ConfigMetrics?
    let logger = Logger(label: "config")

    struct State {
        var tenants: [TenantID: TenantSnapshot] = [:]
        /// By file name within the directory.
        var files: [String: FileStatus] = [:]
        var lastReloadMillis: Int64 = 0
    }

    public init(directory: String, loader: TenantConfigLoader, metrics: MetricsRegistry? = nil) {
        self.directory = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        self.loader = loader
        self.metrics = metrics.map(ConfigMetrics.init)
        self.metrics?.attach(to: self)
    }

    /// The current snapshot of `tenant`, or nil when it is not served.
    public func snapshot(for tenant: TenantID) -> TenantSnapshot? {
        state.withLock { $0.tenants[tenant] }
    }

    /// Every served snapshot, by tenant id.
    public var snapshots: [TenantSnapshot] {
        state.withLock { Array($0.tenants.values) }.sorted { $0.id < $1.id }
    }

    /// Every tenant file seen, by path.
    public var statuses: [FileStatus] {
        state.withLock { Array($0.files.values) }.sorted { $0.path < $1.path }
    }

    public var tenantCount: Int { state.withLock { $0.tenants.count } }

    var lastReloadMillis: Int64 { state.withLock { $0.lastReloadMillis } }

    /// Re-reads the whole directory: new and changed files are loaded, removed ones dropped,
    /// files whose last attempt failed are tried again, and unchanged good files are skipped.
    @discardableResult
    public func reload() -> ReloadSummary { rescan(forceRetry: true, cause: .request) }

    /// Calls `handler` after every reload that changed what is served, with what changed and why
    /// (under the reload lock, so calls come in the order the changes were published; keep it
    /// short and hand slow work on).
    public func onReload(_ handler: @escaping @Sendable (ReloadSummary, ReloadCause) -> Void) {
        observer.withLock { $0 = handler }
    }

    @discardableResult
    private func rescan(forceRetry: Bool, cause: ReloadCause) -> ReloadSummary {
        let names: Set<String>
        do {
            names = Set(try FileSystem.listDirectory(directory).map(\.name))
        } catch {
            logger.error("cannot list the tenants folder", ["folder": .string(directory), "error": .string(error.description)])
            metrics?.recordListingFailure()
            return ReloadSummary()
        }
        let known = state.withLock { Set($0.files.keys) }
        return reload(names: names.union(known), forceRetry: forceRetry, cause: cause)
    }

    /// Reloads the named entries of the directory (as a watcher reports them).
    @discardableResult
    public func reload(names: Set<String>) -> ReloadSummary {
        reload(names: names, forceRetry: false, cause: .fileChange)
    }

    private func reload(names: Set<String>, forceRetry: Bool, cause: ReloadCause) -> ReloadSummary {
        reloadLock.withLock { _ in
            let started = Clock.monotonicNanos()
            let plan = plan(names: names.filter(TenantDirectory.isTenantFile).sorted(), forceRetry: forceRetry)
            let summary = apply(plan)
            metrics?.record(summary, seconds: Double(Clock.monotonicNanos() - started) / 1e9)
            log(summary)
            if !summary.changes.isEmpty, let handler = observer.withLock({ $0 }) { handler(summary, cause) }
            return summary
        }
    }

    /// Starts applying changes to the directory as they happen, within `debounce` of the last
    /// write. Call `reload()` first.
    ///
    /// - Throws: `SystemError` when the directory cannot be watched.
    public func startWatching(debounce: Duration = .milliseconds(100)) throws(SystemError) {
        let watching = try DirectoryWatcher(directory: directory, debounce: debounce) { [weak self] change in
            guard let self else { return }
            // Any other name changing (a symlinked folder swapped, as Kubernetes does with
            // ..data) may change what tenant files contain: compare them all; unchanged ones cost
            // a read and a hash.
            if change.needsRescan || !change.names.allSatisfy(TenantDirectory.isTenantFile) {
                self.rescan(forceRetry: false, cause: .fileChange)
            } else {
                self.reload(names: change.names)
            }
        }
        watcher.withLock { $0 = watching }
    }

    public func stopWatching() {
        watcher.withLock { watcher in
            watcher?.stop()
            watcher = nil
        }
    }
}
