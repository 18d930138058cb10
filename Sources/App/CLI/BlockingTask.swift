import Dispatch

/// Runs async work from a synchronous command and waits for it: the commands' entry points are
/// synchronous, their work is async.
enum BlockingTask {
    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphoreBox()
        Task {
            do {
                box.result = .success(try await body())
            } catch {
                box.result = .failure(error)
            }
            done.signal()
        }
        done.wait()
        return try box.result!.get()
    }

    private final class ResultBox<T>: @unchecked Sendable {
        // @unchecked Sendable: written once by the task before `signal()`, read after `wait()`.
        var result: Result<T, any Error>?
    }
}
