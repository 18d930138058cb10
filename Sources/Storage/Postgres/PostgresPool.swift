import Dispatch
import Native
import Synchronization

/// A few PostgreSQL connections for reads and single statements. Each connection lives on its own
/// serial queue (libpq's blocking calls never run on the cooperative pool); a caller borrows a free
/// one, or waits its turn in arrival order.
final class PostgresPool: @unchecked Sendable {
    // @unchecked Sendable: a connection is used only on its own queue, and only by the one caller
    // that borrowed its index; `state` is a Mutex.
    private let connections: [PQConnection]
    private let queues: [DispatchQueue]
    private let state: Mutex<State>

    private struct State {
        var free: [Int]
        var waiting: [CheckedContinuation<Int, Never>] = []
    }

    init(connections: [PQConnection], label: String) {
        self.connections = connections
        queues = connections.indices.map { DispatchQueue(label: "switchboard.postgres.\(label).\($0)") }
        state = Mutex(State(free: Array(connections.indices)))
    }

    /// Runs `work` on a borrowed connection. A connection found broken is re-established first;
    /// with `retrying`, work that fails because the connection broke runs once more on a fresh one
    /// (for reads and statements that are safe to repeat).
    func run<T: Sendable>(retrying: Bool = true, _ work: @escaping @Sendable (PQConnection) throws -> T) async throws(StoreError) -> T {
        let index = await borrow()
        defer { giveBack(index) }
        let result: Result<T, StoreError> = await withCheckedContinuation { continuation in
            queues[index].async {
                let connection = self.connections[index]
                continuation.resume(returning: Self.attempt(on: connection, retrying: retrying, work))
            }
        }
        return try result.get()
    }

    private static func attempt<T>(on connection: PQConnection, retrying: Bool, _ work: (PQConnection) throws -> T) -> Result<T, StoreError> {
        do {
            if !connection.isHealthy { try connection.reconnect() }
            return .success(try work(connection))
        } catch let failure as PQError where failure.isConnectionFailure && retrying {
            do {
                try connection.reconnect()
                return .success(try work(connection))
            } catch {
                return .failure(PostgresStore.storeError(error))
            }
        } catch {
            return .failure(PostgresStore.storeError(error))
        }
    }

    private func borrow() async -> Int {
        await withCheckedContinuation { continuation in
            let index = state.withLock { state -> Int? in
                if let index = state.free.popLast() { return index }
                state.waiting.append(continuation)
                return nil
            }
            if let index { continuation.resume(returning: index) }
        }
    }

    private func giveBack(_ index: Int) {
        let next = state.withLock { state -> CheckedContinuation<Int, Never>? in
            if state.waiting.isEmpty {
                state.free.append(index)
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume(returning: index)
    }
}
