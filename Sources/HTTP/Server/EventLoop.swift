import Model
import Native
import Synchronization

/// One thread running epoll over its own listener and the connections it accepted.
///
/// All connection state is confined to this thread. Other threads talk to it only through the
/// mailbox (handler completions, shutdown), which they fill under a lock before waking the loop
/// with its eventfd.
final class EventLoop: @unchecked Sendable {
    // @unchecked Sendable: everything but `mailbox` and `wakeup` is touched only on the loop's own
    // thread; `mailbox` is a Mutex and `wakeup` an eventfd.
    struct Completion {
        var connectionID: UInt64
        var fd: Int32
        var sequence: UInt64
        var response: HTTPResponse
    }

    private struct Mailbox {
        var completions: [Completion] = []
        var shutdownRequested = false
        var wakePending = false
    }

    let index: Int
    let context: HTTPServer.Context
    let metrics: HTTPServerMetrics.Shard
    let logger = Logger(label: "http")
    let accessLogger = Logger(label: "access")
    /// nil when the access log is off.
    var accessSampler: AccessLogSampler?
    var requestIDs = RequestIDGenerator()
    private let epoll: Epoll
    private let wakeup: EventFD
    private let mailbox = Mutex(Mailbox())
    private var listener: Socket?

    private var connections: [Connection?] = []
    private(set) var live: [Connection] = []
    private var nextConnectionID: UInt64 = 1
    /// Shared by every connection of this loop: bytes are parsed in place and only a remainder is
    /// copied to the connection, so idle connections hold no buffer at all.
    let readBuffer: UnsafeMutableRawBufferPointer

    /// Monotonic time of the current iteration.
    var now: UInt64 = Clock.monotonicNanos()
    private var nextTimerScan: UInt64 = 0
    private(set) var dateHeader: [UInt8] = []
    private var dateSecond: Int64 = -1

    private(set) var isDraining = false
    private var drainDeadline: UInt64 = .max
    private let onStopped: @Sendable () -> Void

    static let readBufferSize = 64 * 1024

    init(index: Int, context: HTTPServer.Context, listener: Socket, onStopped: @escaping @Sendable () -> Void) throws(SystemError) {
        self.index = index
        self.context = context
        self.metrics = context.metrics.shards[index]
        self.listener = listener
        self.onStopped = onStopped
        accessSampler = AccessLogSampler(context.configuration.accessLog, loops: context.configuration.loops)
        epoll = try Epoll(capacity: 1024)
        wakeup = try EventFD()
        readBuffer = .allocate(byteCount: EventLoop.readBufferSize, alignment: 16)
        try epoll.add(listener.fd, events: .readable)
        try epoll.add(wakeup.fd, events: .readable)
        refreshDate()
    }

    deinit { readBuffer.deallocate() }

    // MARK: - Cross-thread entry points

    /// Hands a finished response back to the loop (any thread).
    func deliver(_ completion: Completion) {
        let shouldWake = mailbox.withLock { box -> Bool in
            box.completions.append(completion)
            if box.wakePending { return false }
            box.wakePending = true
            return true
        }
        if shouldWake { wakeup.signal() }
    }

    /// Asks the loop to stop accepting and to close connections as they become idle (any thread).
    func requestShutdown() {
        mailbox.withLock { box in
            box.shutdownRequested = true
            box.wakePending = true
        }
        wakeup.signal()
    }

    // MARK: - The loop

    func run() {
        while true {
            let timeout = isDraining ? 100 : Int32(clamping: max(1, min(1000, Int64((nextTimerScan &- now) / 1_000_000))))
            let count = epoll.wait(timeoutMillis: live.isEmpty && !isDraining ? 1000 : timeout)
            now = Clock.monotonicNanos()
            refreshDate()
            for i in 0..<count {
                let (fd, events) = epoll.event(at: i)
                if fd == wakeup.fd {
                    drainMailbox()
                } else if let listener, fd == listener.fd {
                    acceptConnections(from: listener)
                } else if fd >= 0, fd < connections.count, let connection = connections[Int(fd)] {
                    handle(connection, events: events)
                }
            }
            if now >= nextTimerScan {
                scanTimers()
                nextTimerScan = now + 250_000_000
            }
            if isDraining {
                if now >= drainDeadline {
                    for connection in live { close(connection) }
                }
                if live.isEmpty { break }
            }
        }
        logger.debug("event loop stopped", ["loop": .int(Int64(index))])
        onStopped()
    }

    private func refreshDate() {
        let second = Clock.unixSeconds()
        guard second != dateSecond else { return }
        dateSecond = second
        dateHeader = Array("Date: \(Timestamp.httpDate(unixSeconds: second))\r\n".utf8)
    }

    private func drainMailbox() {
        wakeup.drain()
        let (completions, shutdown) = mailbox.withLock { box -> ([Completion], Bool) in
            let taken = box.completions
            box.completions = []
            box.wakePending = false
            return (taken, box.shutdownRequested)
        }
        for completion in completions {
            complete(completion)
        }
        if shutdown && !isDraining { beginDraining() }
    }

    private func beginDraining() {
        isDraining = true
        drainDeadline = now + UInt64(context.configuration.shutdownGraceSeconds * 1e9)
        if let listener {
            epoll.remove(listener.fd)
            listener.close()
            self.listener = nil
        }
        for connection in live {
            if connection.isIdle {
                close(connection)
            } else if !connection.slots.isEmpty || connection.pendingOutboundBytes > 0 {
                connection.closeAfterResponses = true
            }
            // Otherwise a request is still arriving: it is served, with `Connection: close`.
        }
    }

    // MARK: - Connections

    private func acceptConnections(from listener: Socket) {
        for _ in 0..<256 {
            let socket: Socket
            do {
                switch try listener.accept() {
                case .processed(let accepted): socket = accepted
                case .wouldBlock: return
                }
            } catch {
                // EMFILE and friends: stop for this round; the listener stays readable.
                logger.warning("accept failed", ["error": .string(error.description)])
                return
            }
            if context.metrics.connections.load(ordering: .relaxed) >= context.configuration.maxConnections {
                rejectOverCapacity(socket)
                continue
            }
            socket.setNoDelay()
            do {
                try epoll.add(socket.fd, events: [.readable, .readHangup])
            } catch {
                socket.close()
                continue
            }
            let connection = Connection(socket: socket, id: nextConnectionID, liveIndex: live.count)
            nextConnectionID += 1
            connection.deadline = now + UInt64(context.configuration.idleTimeoutSeconds * 1e9)
            let fd = Int(socket.fd)
            if fd >= connections.count {
                connections.append(contentsOf: repeatElement(nil, count: max(fd + 1 - connections.count, connections.count)))
            }
            connections[fd] = connection
            live.append(connection)
            context.metrics.connections.wrappingAdd(1, ordering: .relaxed)
            metrics.openConnections.wrappingAdd(1, ordering: .relaxed)
        }
    }

    private func rejectOverCapacity(_ socket: Socket) {
        let response = HTTPResponse.error(.serviceUnavailable, code: "overloaded",
                                          message: "the server has too many open connections; retry shortly",
                                          headers: [("Retry-After", String(context.configuration.retryAfterSeconds))])
        let slot = Connection.Slot(sequence: 0, response: response, isHead: false, keepAlive: false, version: .http1_1,
                                   route: context.metrics.unmatchedRoute, startedAt: now, method: nil,
                                   requestID: mintRequestID(), tenant: nil)
        var bytes: [UInt8] = []
        ResponseWriter.write(response, isHead: false, keepAlive: false, version: .http1_1, date: dateHeader,
                             requestID: slot.requestID, into: &bytes)
        _ = bytes.withUnsafeBytes { try? socket.send($0) }
        socket.close()
        metrics.record(route: context.metrics.unmatchedRoute, status: 503, elapsedNanos: 0)
        if accessSampler != nil { logAccess(slot, response, finishedAt: Clock.monotonicNanos()) }
    }

    private func handle(_ connection: Connection, events: Epoll.Events) {
        if events.contains(.writable) {
            flushOutbound(connection)
            if connection.isClosed { return }
            // Draining may have lifted back-pressure: resume reading and serve what is buffered.
            afterActivity(connection)
            if connection.isClosed { return }
        }
        if events.contains(.readable) || events.contains(.readHangup) || events.contains(.hangup) || events.contains(.error) {
            readAvailable(connection)
        }
    }

    var connectionCount: Int { connections.count }

    func connection(at fd: Int) -> Connection? { connections[fd] }

    func close(_ connection: Connection) {
        guard !connection.isClosed else { return }
        connection.isClosed = true
        epoll.remove(connection.socket.fd)
        connections[Int(connection.socket.fd)] = nil
        connection.socket.close()
        // Swap-remove from the live list.
        let index = connection.liveIndex
        let last = live.removeLast()
        if last !== connection {
            live[index] = last
            last.liveIndex = index
        }
        connection.outbound = []
        connection.inbound = []
        connection.body = []
        context.metrics.connections.wrappingSubtract(1, ordering: .relaxed)
        metrics.openConnections.wrappingSubtract(1, ordering: .relaxed)
    }

    /// Updates epoll interest to match what the connection wants.
    func updateInterest(_ connection: Connection, read: Bool, write: Bool) {
        guard !connection.isClosed, read != connection.wantsRead || write != connection.wantsWrite else { return }
        connection.wantsRead = read
        connection.wantsWrite = write
        // Read interest includes EPOLLRDHUP: level-triggered, it would fire without end once the
        // peer has shut its side, so it is dropped whenever reading is.
        var events: Epoll.Events = []
        if read { events.formUnion([.readable, .readHangup]) }
        if write { events.insert(.writable) }
        do {
            try epoll.modify(connection.socket.fd, events: events)
        } catch {
            close(connection)
        }
    }

    // MARK: - Timers

    private func scanTimers() {
        var i = 0
        while i < live.count {
            let connection = live[i]
            if connection.deadline <= now {
                timeout(connection)
                // `close` swap-removes, so the same index now holds another connection.
                if connection.isClosed { continue }
            }
            i += 1
        }
    }

    private func timeout(_ connection: Connection) {
        switch connection.phase {
        case .lingering:
            close(connection)
        case .head where connection.scanner.hasPartialHead || !connection.inbound.isEmpty:
            respondAndClose(connection, HTTPResponse.error(.requestTimeout, code: "request_timeout",
                                                           message: "the request head did not arrive in time"))
        case .body(let head, _), .chunkedBody(let head, _):
            respondAndClose(connection, HTTPResponse.error(.requestTimeout, code: "request_timeout",
                                                           message: "the request body did not arrive in time"),
                            head: head)
        case .head:
            // An idle keep-alive connection, or a client that stopped reading its responses.
            close(connection)
        }
    }
}
