import Synchronization

/// One request on its way through a `CurlDriver`: the easy handle that carries it and the
/// continuation that waits for its end. Exactly one of completion and cancellation resumes it.
final class CurlTransfer: @unchecked Sendable {
    // @unchecked Sendable: `state` is behind its Mutex. `easy` belongs to the task that configured it
    // until `CurlDriver.submit` hands the transfer over through the inbox lock, and to the driver
    // thread after that; `isInMulti` and `isCancelRequested` are touched on the driver thread only.
    let easy: CurlEasy
    let driver: CurlDriver
    var isInMulti = false
    var isCancelRequested = false
    private let state = Mutex<State>(.created)

    private enum State {
        case created
        case waiting(UnsafeContinuation<CurlResponse, any Error>)
        case cancelledBeforeStart
        case finished
    }

    init(easy: CurlEasy, driver: CurlDriver) {
        self.easy = easy
        self.driver = driver
    }

    /// The awaiting task was cancelled: the driver removes the transfer if it has it.
    func cancel() {
        if requestCancellation() { driver.cancel(self) }
    }

    /// Parks `continuation`; false when the task was cancelled before the transfer could start.
    func start(_ continuation: UnsafeContinuation<CurlResponse, any Error>) -> Bool {
        state.withLock { state in
            guard case .created = state else { return false }
            state = .waiting(continuation)
            return true
        }
    }

    /// Records a cancellation; true when the transfer is with the driver, which must remove it.
    func requestCancellation() -> Bool {
        state.withLock { state in
            switch state {
            case .created:
                state = .cancelledBeforeStart
                return false
            case .waiting:
                return true
            case .cancelledBeforeStart, .finished:
                return false
            }
        }
    }

    /// Resumes the waiting task with `result`, once; later calls do nothing. (The state machine is
    /// what guarantees a single resume, so the unchecked continuation is enough.)
    func finish(_ result: Result<CurlResponse, any Error>) {
        let continuation = state.withLock { state -> UnsafeContinuation<CurlResponse, any Error>? in
            guard case .waiting(let continuation) = state else { return nil }
            state = .finished
            return continuation
        }
        continuation?.resume(with: result)
    }
}
