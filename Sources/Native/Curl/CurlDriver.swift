internal import CCurl
import Glibc
import Synchronization

/// The thread that runs one libcurl multi handle: it adds submitted transfers, drives every socket
/// they use, and resumes each waiting task when its transfer ends. Everything except the inbox,
/// the handle pool and the counters is touched on that thread only.
final class CurlDriver: @unchecked Sendable {
    // @unchecked Sendable: `inbox` and `pool` are behind Mutexes and the counters are atomics; the
    // multi handle, `active`, `timerDeadline`, `epoll` registrations are driver-thread state.
    let multi: UnsafeMutableRawPointer
    let mode: CurlClient.EventMode
    let epoll: Epoll?
    let wakeup: EventFD?
    var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    var timerDeadline: UInt64?
    /// Descriptors in the epoll set (as far as we know) and those libcurl no longer watches.
    var sockets = (registered: Set<Int32>(), idle: Set<Int32>())
    let inFlight = Atomic<Int>(0)
    let completed = Atomic<Int>(0)
    private let inbox = Mutex(Inbox())
    // The arrays the inbox is swapped with, so draining it allocates nothing (driver thread only).
    private var drainedAdds: [CurlTransfer] = []
    private var drainedCancels: [CurlTransfer] = []
    private let pool = Mutex<[CurlEasy]>([])
    private let maxPooledHandles: Int
    let jobs = Mutex(CurlDriverJobs())
    /// The driver thread's `pthread_t`, 0 until it runs.
    let driverThread = Atomic<UInt>(0)

    private struct Inbox {
        var adds: [CurlTransfer] = []
        var cancels: [CurlTransfer] = []
        var isStopping = false
        var isEmpty: Bool { adds.isEmpty && cancels.isEmpty }
    }

    init(configuration: CurlClient.Configuration) throws(SystemError) {
        CurlGlobal.ensureInitialized()
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init returned NULL: out of memory") }
        self.multi = multi
        mode = configuration.eventMode
        maxPooledHandles = configuration.maxPooledHandles
        // > CURLMOPT_MAXCONNECTS: the maximum amount of simultaneously open connections that libcurl
        // > may keep in its connection cache after completed use.
        _ = switchboard_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, configuration.maxCachedConnections)
        // > CURLMOPT_MAX_HOST_CONNECTIONS: ... 0 (default) means no limit. When the limit is reached,
        // > new transfers wait in a queue until a connection is free.
        _ = switchboard_curl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, configuration.maxConnectionsPerHost)
        if mode == .socketAction {
            do {
                let epoll = try Epoll(capacity: 256)
                let wakeup = try EventFD()
                try epoll.add(wakeup.fd, events: .readable)
                self.epoll = epoll
                self.wakeup = wakeup
            } catch {
                curl_multi_cleanup(multi)
                throw error
            }
            installSocketCallbacks()
        } else {
            epoll = nil
            wakeup = nil
        }
    }

    // Set once `run` starts: from then on the loop cleans the multi handle up, not `deinit`.
    private var didRun = false

    deinit {
        // A driver whose thread never started (a later driver of its client failed to build).
        if !didRun { curl_multi_cleanup(multi) }
    }

    /// Runs the loop until `stop()`; call it on a thread of its own.
    func run() {
        didRun = true
        driverThread.store(UInt(pthread_self()), ordering: .releasing)
        switch mode {
        case .socketAction: runSocketAction()
        case .poll: runPoll()
        }
        shutDownMulti()
        closeJobs()
    }

    func acquireEasy() -> CurlEasy {
        pool.withLock { $0.popLast() } ?? CurlEasy()
    }

    func recycle(_ easy: CurlEasy) {
        pool.withLock { handles in
            if handles.count < maxPooledHandles { handles.append(easy) }
        }
    }

    /// Hands `transfer` to the driver thread (or adds it at once when called on it).
    func submit(_ transfer: CurlTransfer) {
        inFlight.wrappingAdd(1, ordering: .relaxed)
        if isDriverThread {
            add(transfer)
            return
        }
        let (accepted, shouldWake) = inbox.withLock { inbox -> (Bool, Bool) in
            guard !inbox.isStopping else { return (false, false) }
            let wasEmpty = inbox.isEmpty
            inbox.adds.append(transfer)
            return (true, wasEmpty)
        }
        if !accepted { finish(transfer, .failure(CurlDriver.stoppedError)) }
        // The driver empties the whole inbox on each wake-up, so only the first item needs one.
        if shouldWake { wake() }
    }

    /// Asks the driver thread to remove `transfer` and fail it with `CancellationError`.
    func cancel(_ transfer: CurlTransfer) {
        let shouldWake = inbox.withLock { inbox -> Bool in
            let wasEmpty = inbox.isEmpty
            inbox.cancels.append(transfer)
            return wasEmpty && !inbox.isStopping
        }
        if shouldWake { wake() }
    }

    func stop() {
        let wasStopping = inbox.withLock { inbox in
            defer { inbox.isStopping = true }
            return inbox.isStopping
        }
        if !wasStopping { wake() }
    }

    func wake() {
        if let wakeup {
            wakeup.signal()
        } else {
            // > curl_multi_wakeup ... can be called from any thread ... wakes up a sleeping curl_multi_poll call.
            _ = curl_multi_wakeup(multi)
        }
    }

    /// Adds what was submitted and removes what was cancelled; false once the client is stopping.
    func drainInbox() -> Bool {
        // Move the spares out first: a second reference would make the inbox copy on append.
        var adds: [CurlTransfer] = []
        var cancels: [CurlTransfer] = []
        swap(&adds, &drainedAdds)
        swap(&cancels, &drainedCancels)
        let isStopping = inbox.withLock { inbox in
            swap(&adds, &inbox.adds)
            swap(&cancels, &inbox.cancels)
            return inbox.isStopping
        }
        defer {
            adds.removeAll(keepingCapacity: true)
            cancels.removeAll(keepingCapacity: true)
            drainedAdds = adds
            drainedCancels = cancels
        }
        for transfer in cancels {
            if transfer.isInMulti {
                remove(transfer)
                finish(transfer, .failure(CancellationError()))
            } else {
                // Not added yet (its submission may still be on its way) or already finished.
                transfer.isCancelRequested = true
            }
        }
        for transfer in adds {
            if isStopping {
                finish(transfer, .failure(CurlDriver.stoppedError))
            } else if transfer.isCancelRequested {
                finish(transfer, .failure(CancellationError()))
            } else {
                add(transfer)
            }
        }
        return !isStopping
    }

    /// Adds `transfer` to the multi handle (driver thread only, never inside a libcurl callback).
    private func add(_ transfer: CurlTransfer) {
        if curl_multi_add_handle(multi, transfer.easy.handle) == CURLM_OK {
            transfer.isInMulti = true
            active[transfer.easy.handle] = transfer
        } else {
            let error = CurlError(code: -1, kind: .other, message: "curl_multi_add_handle failed",
                                  endpoint: CurlError.endpoint(of: transfer.easy.url), requestWasSent: false)
            finish(transfer, .failure(error))
        }
    }

    /// Resumes the tasks whose transfers libcurl reports done; returns how many.
    @discardableResult
    func completeFinished() -> Int {
        var finished = 0
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle else { continue }
            // > The data the returned pointer points to does not survive calling curl_multi_cleanup,
            // > curl_multi_remove_handle or curl_easy_cleanup.
            // So the result is read before the handle is removed.
            let code = message.pointee.data.result
            guard let transfer = active[handle] else { continue }
            remove(transfer)
            let result: Result<CurlResponse, any Error> =
                code == CURLE_OK ? .success(transfer.easy.takeResponse()) : .failure(transfer.easy.makeError(code))
            finish(transfer, result)
            finished += 1
        }
        return finished
    }

    private func remove(_ transfer: CurlTransfer) {
        // > Removing an easy handle while being in use is perfectly legal and effectively halts the transfer.
        _ = curl_multi_remove_handle(multi, transfer.easy.handle)
        active[transfer.easy.handle] = nil
        transfer.isInMulti = false
    }

    private func finish(_ transfer: CurlTransfer, _ result: Result<CurlResponse, any Error>) {
        inFlight.wrappingSubtract(1, ordering: .relaxed)
        completed.wrappingAdd(1, ordering: .relaxed)
        transfer.finish(result)
        recycle(transfer.easy)
    }

    private func shutDownMulti() {
        for transfer in Array(active.values) {
            remove(transfer)
            finish(transfer, .failure(CurlDriver.stoppedError))
        }
        _ = drainInbox()
        // > Cleans up and removes a whole multi stack. It does not free or modify the easy handles in
        // > any way - they still need to be closed individually.
        // They were removed above; their owners clean them up.
        curl_multi_cleanup(multi)
    }

    static let stoppedError = CurlError(code: -1, kind: .clientStopped, message: "the HTTP client was shut down",
                                        endpoint: "", requestWasSent: false)
}
