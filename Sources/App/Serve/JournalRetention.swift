import Interaction
import Model
import Native
import Routing
import Storage
import Synchronization

/// Retires finished interactions once they are older than the retention period
/// (`serve --retention-days`): every tenant's, in batches, at start and every `intervalSeconds`.
///
/// With an export folder, each interaction's whole trace is first appended as one JSON line to
/// `FOLDER/<tenant>/<day received>.jsonl` and synced; only then are its rows deleted. A crash
/// between the two exports it again on the next pass (the line repeats, with the same id). The
/// store counts what it deletes by day and status, so the tenant's figures keep them.
final class JournalRetention: Sendable {
    struct Settings: Sendable, Equatable {
        /// Days of journal kept, counted from when each interaction was received.
        var keepDays: Int
        /// Where traces are exported before deletion; nil deletes without exporting.
        var exportDirectory: String?
    }

    private let store: any InteractionStore
    private let tenants: TenantRegistry
    private let settings: Settings
    private let intervalSeconds: Double
    private let retired: Counter
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let logger = Logger(label: "retention")

    /// Rows read and deleted per transaction, so a large backlog never holds the writer long.
    static let batchSize = 200

    init(store: any InteractionStore, tenants: TenantRegistry, settings: Settings, metrics: MetricsRegistry,
         intervalSeconds: Double = 600) {
        self.store = store
        self.tenants = tenants
        self.settings = settings
        self.intervalSeconds = intervalSeconds
        retired = metrics.counter("switchboard_retired_interactions_total",
                                  help: "Finished interactions deleted from the journal by retention (exported first when configured).")
    }

    func start() {
        let interval = UInt64(intervalSeconds * 1e9)
        let started = Task { [weak self] in
            while !Task.isCancelled {
                await self?.runOnce(now: Clock.unixMillis())
                try? await Task.sleep(nanoseconds: interval)
            }
        }
        task.withLock { $0 = started }
    }

    func stop() {
        task.withLock { $0?.cancel() }
    }

    /// One pass over every tenant; returns how many interactions it retired.
    @discardableResult
    func runOnce(now: Int64) async -> Int {
        let cutoff = now - Int64(settings.keepDays) * 86_400_000
        var total = 0
        for snapshot in tenants.snapshots {
            let tenant = snapshot.id.rawValue
            do {
                total += try await retire(tenant: tenant, before: cutoff)
            } catch {
                // Nothing is deleted that was not exported; the next pass tries again.
                logger.warning("could not retire old interactions; the next pass tries again",
                               ["tenant": .string(tenant), "error": .string("\(error)")])
            }
        }
        return total
    }

    private func retire(tenant: String, before cutoff: Int64) async throws -> Int {
        var total = 0
        while !Task.isCancelled {
            let batch = try await store.retirable(tenant: tenant, before: cutoff, limit: Self.batchSize)
            guard !batch.isEmpty else { break }
            if let folder = settings.exportDirectory {
                try await export(batch, tenant: tenant, into: folder)
            }
            let count = try await store.retire(tenant: tenant, ids: batch.map(\.interaction.id))
            retired.increment(by: count)
            total += count
            // Rows that were no longer retirable stay; stop rather than read them again.
            if count == 0 || batch.count < Self.batchSize { break }
        }
        if total > 0 {
            logger.info("retired old interactions", ["tenant": .string(tenant), "interactions": .int(Int64(total)),
                                                     "before": .string(Timestamp.iso8601(millis: cutoff))])
        }
        return total
    }

    /// Appends each trace to its day's file, one file write and sync per day in the batch.
    private func export(_ batch: [InteractionRecord], tenant: String, into folder: String) async throws {
        var days: [(day: String, lines: [UInt8])] = []
        for record in batch {
            let steps = try await store.steps(tenant: tenant, id: record.interaction.id)
            let line = Array(TraceView.trace(record, steps: steps).serialized().utf8) + [0x0A]
            let day = Timestamp.day(unixMillis: record.createdAt)
            if let last = days.indices.last, days[last].day == day {
                days[last].lines += line
            } else {
                days.append((day, line))
            }
        }
        let directory = folder + "/" + tenant
        try FileSystem.makeDirectories(directory, mode: 0o700)
        for (day, lines) in days {
            try FileSystem.appendDurably(lines, to: directory + "/" + day + ".jsonl")
        }
    }
}
