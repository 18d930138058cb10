import Dispatch
import Synchronization

/// Jobs queued from any thread and handled in batches on one serial queue: the job that finds
/// the queue idle starts a drain, and whatever is queued while a batch runs goes in the next one.
/// The journal writers are built on it: one batch, one transaction, one sync.
final class BatchingQueue<Job: Sendable>: @unchecked Sendable {
    // @unchecked Sendable: `handle` runs only on `queue`; `pending` is a Mutex.
    let queue: DispatchQueue
    private let pending = Mutex<(jobs: [Job], draining: Bool)>(([], false))
    private let maxBatch: Int
    private let handle: ([Job]) -> Void

    /// - Parameter handle: called on the queue with up to `maxBatch` jobs, oldest first.
    init(label: String, maxBatch: Int, handle: @escaping ([Job]) -> Void) {
        queue = DispatchQueue(label: label)
        self.maxBatch = maxBatch
        self.handle = handle
    }

    /// Jobs waiting for a batch (for /metrics).
    var depth: Int { pending.withLock { $0.jobs.count } }

    func submit(_ job: Job) {
        let shouldStart = pending.withLock { state -> Bool in
            state.jobs.append(job)
            if state.draining { return false }
            state.draining = true
            return true
        }
        if shouldStart { queue.async { self.drain() } }
    }

    private func drain() {
        while true {
            let jobs = pending.withLock { state -> [Job] in
                let taken = Array(state.jobs.prefix(maxBatch))
                state.jobs.removeFirst(taken.count)
                if taken.isEmpty { state.draining = false }
                return taken
            }
            if jobs.isEmpty { return }
            handle(jobs)
        }
    }
}
