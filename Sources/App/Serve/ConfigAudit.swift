import Model
import Native
import Routing
import Storage

/// Writes each configuration version that goes into service to its tenant's audit log, in the
/// order the reloads published them, off the reload path (which holds the registry's lock).
final class ConfigAudit: Sendable {
    private let continuation: AsyncStream<Batch>.Continuation
    private let writer: Task<Void, Never>

    struct Batch: Sendable {
        var changes: [ConfigChange]
        var actor: String
        var at: Int64
        /// At start-up the versions are compared with the last one recorded, so a restart records
        /// only what changed while the server was down.
        var onlyIfNew: Bool
    }

    init(store: any InteractionStore, logger: Logger) {
        let (stream, continuation) = AsyncStream.makeStream(of: Batch.self)
        self.continuation = continuation
        writer = Task {
            for await batch in stream { await Self.write(batch, to: store, logger: logger) }
        }
    }

    /// Queues what a reload changed.
    func record(_ changes: [ConfigChange], actor: String, onlyIfNew: Bool = false) {
        guard !changes.isEmpty else { return }
        continuation.yield(Batch(changes: changes, actor: actor, at: Clock.unixMillis(), onlyIfNew: onlyIfNew))
    }

    /// Lets the queued entries be written, then stops.
    func finish() async {
        continuation.finish()
        await writer.value
    }

    private static func write(_ batch: Batch, to store: any InteractionStore, logger: Logger) async {
        for change in batch.changes {
            let tenant = change.tenant.rawValue
            do {
                if batch.onlyIfNew {
                    let last = try await store.auditLog(tenant: tenant, action: .reload, before: nil, limit: 1).first
                    if last?.target == (change.version ?? Self.removed) { continue }
                }
                var detail: JSONObject = ["file": .string(change.source)]
                detail["previous"] = change.previous.map { .string($0) } ?? .null
                try await store.audit(AuditEntry(tenant: tenant, at: batch.at, actor: batch.actor, action: .reload,
                                                 target: change.version ?? Self.removed, detail: detail))
            } catch {
                logger.error("a configuration change could not be written to the audit log",
                             ["tenant": .string(tenant), "version": change.version.map { .string($0) } ?? .null,
                              "error": .string(error.description)])
            }
        }
    }

    /// The target of a reload that stopped serving a tenant (its file was removed).
    static let removed = "removed"
}
