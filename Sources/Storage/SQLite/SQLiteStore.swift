import Dispatch
import Model
import Native
import Synchronization

/// The SQLite journal (the default store): WAL mode, synchronous=FULL, one group-committing
/// writer and a small pool of read connections.
public final class SQLiteStore: InteractionStore, @unchecked Sendable {
    // @unchecked Sendable: readers are each confined to their own serial queue; `nextReader` is
    // atomic; the writer guards itself.
    let path: String
    let writer: GroupCommitWriter
    private let readers: [Reader]
    private let nextReader = Atomic<Int>(0)
    private let logger = Logger(label: "store")

    static let writerCacheKiB = 64 * 1024
    static let readerCacheKiB = 16 * 1024

    /// Opens or creates the database at `path` (":memory:" for a private one) and migrates it.
    public init(path: String, readers readerCount: Int = 2) throws(StoreError) {
        self.path = path
        do {
            let connection = try SQLiteConnection(path: path)
            // The page cache holds the indexes' hot pages (one per tenant at the end of each index):
            // SQLite's 2 MiB default made every insert re-read them once a few hundred tenants
            // were busy. (No mmap: an I/O error on a mapped page is a SIGBUS, not an error code.)
            try connection.execute("""
                PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;
                PRAGMA cache_size=-\(Self.writerCacheKiB);
                """)
            try SQLiteSchema.migrate(connection)
            writer = GroupCommitWriter(connection: connection)
            if path == ":memory:" {
                readers = []
            } else {
                readers = try (0..<max(1, readerCount)).map { index in
                    let reader = try SQLiteConnection(path: path)
                    try reader.execute("PRAGMA query_only=ON; PRAGMA cache_size=-\(Self.readerCacheKiB);")
                    return Reader(connection: reader, queue: DispatchQueue(label: "switchboard.store.reader.\(index)"))
                }
            }
        } catch {
            throw Self.storeError(error)
        }
    }

    /// Writes waiting for the group commit.
    public var writeQueueDepth: Int { writer.queueDepth }

    /// Runs a read on one of the reader connections.
    func read<T: Sendable>(_ work: @escaping @Sendable (SQLiteConnection) throws -> T) async throws(StoreError) -> T {
        guard !readers.isEmpty else { return try await writer.onWriterQueue(work) }
        let reader = readers[nextReader.wrappingAdd(1, ordering: .relaxed).oldValue % readers.count]
        let result: Result<T, StoreError> = await withCheckedContinuation { continuation in
            reader.queue.async {
                do {
                    continuation.resume(returning: .success(try work(reader.connection)))
                } catch {
                    continuation.resume(returning: .failure(Self.storeError(error)))
                }
            }
        }
        return try result.get()
    }

    /// A read connection and the serial queue it is confined to.
    private final class Reader: @unchecked Sendable {
        // @unchecked Sendable: `connection` is used only on `queue`.
        let connection: SQLiteConnection
        let queue: DispatchQueue

        init(connection: SQLiteConnection, queue: DispatchQueue) {
            self.connection = connection
            self.queue = queue
        }
    }

    static func storeError(_ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? SQLiteError {
            if error.isConstraintViolation { return StoreError(.conflict, error.description) }
            if error.isStorageFailure || error.isBusy { return StoreError(.unavailable, error.description) }
            return StoreError(.unavailable, error.description)
        }
        return StoreError(.corrupt, Logger.describe(error))
    }
}

extension SQLiteStatement {
    /// The current row for the shared row mappings.
    var cells: StoredColumns.Row { StoredColumns.Row { self.text(Int32($0)) } }
}
