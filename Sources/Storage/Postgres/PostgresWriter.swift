import Dispatch
import Model
import Native
import Synchronization

/// The journal's writers: a few lanes, each one connection on its own queue that commits
/// everything queued so far as one pipeline (one implicit transaction: one round trip and one
/// WAL flush for the batch — group commit). Writes about one interaction always take the same
/// lane, so they commit in the order they were queued.
final class PostgresWriter: Sendable {
    private let lanes: [Lane]

    init(connections: [PQConnection], maxBatch: Int) {
        lanes = connections.enumerated().map { Lane(connection: $0.element, index: $0.offset, maxBatch: maxBatch) }
    }

    /// Transactions committed so far (each one a batch).
    var commitCount: Int { lanes.reduce(0) { $0 + $1.commitCount } }

    /// Writes waiting for a lane (for /metrics).
    var queueDepth: Int { lanes.reduce(0) { $0 + $1.queueDepth } }

    /// Runs `commands` in the next batch of `key`'s lane and maps their results once committed.
    /// `check` may refuse the results (a fenced write that found no lease): the batch still
    /// commits, so such commands must be guarded in SQL to change nothing in that case.
    func write<T: Sendable>(key: String, _ commands: [PQCommand],
                            check: @escaping @Sendable ([PQRows]) throws(StoreError) -> T) async throws(StoreError) -> T {
        let result: Result<T, StoreError> = await withCheckedContinuation { continuation in
            lane(for: key).submit(Lane.Job(commands: commands) { outcome in
                switch outcome {
                case .success(let rows):
                    do throws(StoreError) {
                        continuation.resume(returning: .success(try check(rows)))
                    } catch {
                        continuation.resume(returning: .failure(error))
                    }
                case .failure(let error):
                    continuation.resume(returning: .failure(error))
                }
            })
        }
        return try result.get()
    }

    /// Queues `commands` without waiting; a failure (or a refusal by `check`) is logged.
    func enqueue(key: String, _ commands: [PQCommand], check: @escaping @Sendable ([PQRows]) throws(StoreError) -> Void) {
        lane(for: key).submit(Lane.Job(commands: commands) { outcome in
            do throws(StoreError) {
                try check(try outcome.get())
            } catch {
                Self.logger.error("a queued journal write failed", ["error": .string(error.description)])
            }
        })
    }

    private static let logger = Logger(label: "store")

    private func lane(for key: String) -> Lane {
        // FNV-1a: the same key picks the same lane for the life of the process.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return lanes[Int(hash % UInt64(lanes.count))]
    }
}

extension PostgresWriter {
    /// One connection and the jobs queued for it.
    final class Lane: @unchecked Sendable {
        // @unchecked Sendable: `connection` is used only on the batching queue.
        struct Job: @unchecked Sendable {
            // @unchecked Sendable: `finish` runs once, on the lane's queue.
            let commands: [PQCommand]
            let finish: (Result<[PQRows], StoreError>) -> Void
        }

        private let connection: PQConnection
        private var batches: BatchingQueue<Job>!
        private let commits = Atomic<Int>(0)

        init(connection: PQConnection, index: Int, maxBatch: Int) {
            self.connection = connection
            batches = BatchingQueue(label: "switchboard.postgres.writer.\(index)", maxBatch: maxBatch) { [unowned self] jobs in
                commit(jobs)
            }
        }

        var commitCount: Int { commits.load(ordering: .relaxed) }
        var queueDepth: Int { batches.depth }

        func submit(_ job: Job) { batches.submit(job) }

        /// Commits `jobs` as one pipeline. If a statement fails, the whole transaction rolled back:
        /// each job then runs alone, so that only the one at fault fails. If the connection breaks,
        /// whether the batch committed is unknown: every job in it fails as unavailable, and its
        /// caller (an HTTP client with its Idempotency-Key, an execution resuming from its
        /// journal) tries again.
        private func commit(_ jobs: [Job]) {
            do {
                if !connection.isHealthy { try connection.reconnect() }
                let results = try connection.run(jobs.flatMap(\.commands))
                if results.allSatisfy({ if case .success = $0 { true } else { false } }) {
                    commits.wrappingAdd(1, ordering: .relaxed)
                    var offset = 0
                    for job in jobs {
                        let rows = results[offset..<offset + job.commands.count].compactMap { try? $0.get() }
                        offset += job.commands.count
                        job.finish(.success(rows))
                    }
                    return
                }
                if jobs.count == 1 {
                    jobs[0].finish(.failure(Self.firstFailure(results)))
                    return
                }
                for job in jobs { commit([job]) }
            } catch {
                for job in jobs { job.finish(.failure(PostgresStore.storeError(error))) }
            }
        }

        private static func firstFailure(_ results: [Result<PQRows, PQError>]) -> StoreError {
            for result in results {
                if case .failure(let error) = result { return PostgresStore.storeError(error) }
            }
            return StoreError(.unavailable, "a journal write failed without an error")
        }
    }
}
