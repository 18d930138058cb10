import Dispatch
import Model
import Native
import Synchronization

/// The single writer of a SQLite database. Callers queue work; the writer runs everything queued
/// so far in one transaction, each piece inside its own savepoint, and syncs once for the batch
/// (group commit), so durable writes cost one fsync per batch rather than one per write.
final class GroupCommitWriter: @unchecked Sendable {
    // @unchecked Sendable: `connection` is touched only on the batching queue.
    private struct Job: @unchecked Sendable {
        // @unchecked Sendable: both closures run only on the writer queue.
        /// Runs the work inside a savepoint and keeps its result; returns its failure, if any.
        let run: (SQLiteConnection) -> StoreError?
        /// Resumes the caller once the batch is durable (or failed to commit).
        let finish: (StoreError?) -> Void
    }

    private let connection: SQLiteConnection
    private var batches: BatchingQueue<Job>!
    private let commits = Atomic<Int>(0)

    /// Transactions committed so far (each one a batch).
    var commitCount: Int { commits.load(ordering: .relaxed) }

    /// Writes waiting for the writer (for /metrics).
    var queueDepth: Int { batches.depth }

    init(connection: SQLiteConnection, maxBatch: Int = 1024) {
        self.connection = connection
        batches = BatchingQueue(label: "switchboard.store.writer", maxBatch: maxBatch) { [unowned self] jobs in commit(jobs) }
    }

    /// Runs `work` in the next batch and returns its result once the batch has committed.
    func write<T: Sendable>(_ work: @escaping @Sendable (SQLiteConnection) throws -> T) async throws(StoreError) -> T {
        let result: Result<T, StoreError> = await withCheckedContinuation { continuation in
            let box = ResultBox<T>()
            let job = Job(
                run: { connection in
                    do {
                        try connection.prepared("SAVEPOINT job").run()
                        box.value = .success(try work(connection))
                        try connection.prepared("RELEASE job").run()
                        return nil
                    } catch {
                        let failure = SQLiteStore.storeError(error)
                        if connection.isInTransaction {
                            try? connection.prepared("ROLLBACK TO job").run()
                            try? connection.prepared("RELEASE job").run()
                        }
                        box.value = .failure(failure)
                        return failure
                    }
                },
                finish: { commitError in
                    if let commitError {
                        continuation.resume(returning: .failure(commitError))
                    } else {
                        continuation.resume(returning: box.value ?? .failure(StoreError(.corrupt, "a write produced no result")))
                    }
                })
            submit(job)
        }
        return try result.get()
    }

    /// Queues `work` for the next batch without waiting; failures are logged. Jobs run in the order
    /// they were queued, so whatever is queued (and awaited) later commits after this.
    func enqueue(_ work: @escaping @Sendable (SQLiteConnection) throws -> Void) {
        let job = Job(
            run: { connection in
                do {
                    try connection.prepared("SAVEPOINT job").run()
                    try work(connection)
                    try connection.prepared("RELEASE job").run()
                    return nil
                } catch {
                    let failure = SQLiteStore.storeError(error)
                    if connection.isInTransaction {
                        try? connection.prepared("ROLLBACK TO job").run()
                        try? connection.prepared("RELEASE job").run()
                    }
                    return failure
                }
            },
            finish: { failure in
                if let failure { GroupCommitWriter.logger.error("a queued journal write failed", ["error": .string(failure.description)]) }
            })
        submit(job)
    }

    private static let logger = Logger(label: "store")

    private func submit(_ job: Job) { batches.submit(job) }

    /// Runs `work` on the writer's connection outside any batch (reads of an in-memory database).
    func onWriterQueue<T: Sendable>(_ work: @escaping @Sendable (SQLiteConnection) throws -> T) async throws(StoreError) -> T {
        let result: Result<T, StoreError> = await withCheckedContinuation { continuation in
            batches.queue.async {
                do {
                    continuation.resume(returning: .success(try work(self.connection)))
                } catch {
                    continuation.resume(returning: .failure(SQLiteStore.storeError(error)))
                }
            }
        }
        return try result.get()
    }

    /// Runs `jobs` in one transaction and resumes their callers once it is durable. When SQLite
    /// aborts the transaction itself (disk full, I/O error), the work already done in it is lost:
    /// those callers get the error, and the rest of the jobs go on in a new transaction.
    private func commit(_ jobs: [Job]) {
        var batch: [Job] = []
        var index = 0
        do {
            try connection.prepared("BEGIN IMMEDIATE").run()
            while index < jobs.count {
                let job = jobs[index]
                index += 1
                batch.append(job)
                if let failure = job.run(connection), !connection.isInTransaction {
                    for lost in batch { lost.finish(failure) }
                    batch = []
                    if index < jobs.count { try connection.prepared("BEGIN IMMEDIATE").run() }
                }
            }
            if !batch.isEmpty {
                // > In WAL mode when synchronous is FULL, the WAL file is synchronized after each
                // > transaction commit: this is what makes an acknowledged interaction durable.
                try connection.prepared("COMMIT").run()
                commits.wrappingAdd(1, ordering: .relaxed)
                for job in batch { job.finish(nil) }
            }
        } catch {
            if connection.isInTransaction { try? connection.execute("ROLLBACK") }
            let failure = SQLiteStore.storeError(error)
            for job in batch + jobs[index...] { job.finish(failure) }
        }
    }
}

/// Carries a job's result from the savepoint to the continuation; both run on the writer queue.
private final class ResultBox<T>: @unchecked Sendable {
    var value: Result<T, StoreError>?
}
