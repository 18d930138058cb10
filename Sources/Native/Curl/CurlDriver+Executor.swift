import Glibc
import Synchronization

// The driver thread as a task executor: a caller that runs its tasks with
// `withTaskExecutorPreference(client.taskExecutor)` submits, awaits and resumes on this thread, so a
// call costs no thread hop at all (the C way of driving libcurl). Jobs run between libcurl calls,
// never inside a callback; whatever such a task does between awaits delays every transfer, so only
// callers that do little work per call should ask for it.
extension CurlDriver: TaskExecutor {
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let (accepted, shouldWake) = jobs.withLock { state -> (Bool, Bool) in
            guard !state.isClosed else { return (false, false) }
            state.queue.append(job)
            return (true, state.queue.count == 1)
        }
        guard accepted else {
            // The driver has stopped: the task goes on on the global pool.
            globalConcurrentExecutor.enqueue(job)
            return
        }
        // The driver runs its queue before it sleeps, so only another thread needs to wake it.
        if shouldWake && !isDriverThread { wake() }
    }

    /// Whether the caller is this driver's thread.
    var isDriverThread: Bool {
        let id = driverThread.load(ordering: .acquiring)
        return id != 0 && pthread_equal(pthread_self(), pthread_t(id)) != 0
    }

    var hasPendingJobs: Bool { jobs.withLock { !$0.queue.isEmpty } }

    /// Runs the jobs queued so far (not those they enqueue: the loop comes back for them).
    func runJobs() {
        var batch: [UnownedJob] = []
        jobs.withLock { swap(&batch, &$0.queue) }
        guard !batch.isEmpty else { return }
        let executor = asUnownedTaskExecutor()
        for job in batch { job.runSynchronously(on: executor) }
    }

    /// Refuses further jobs and hands the queued ones to the global pool.
    func closeJobs() {
        let left = jobs.withLock { state -> [UnownedJob] in
            state.isClosed = true
            defer { state.queue.removeAll() }
            return state.queue
        }
        for job in left { globalConcurrentExecutor.enqueue(job) }
    }
}

/// Jobs of tasks that prefer the driver as their executor.
struct CurlDriverJobs: Sendable {
    var queue: [UnownedJob] = []
    var isClosed = false
}
