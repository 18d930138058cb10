import Synchronization

/// Outbound transfers over libcurl's multi interface: one driver thread per client serves every
/// transfer in flight, and each `perform` call suspends its task until its transfer ends.
///
/// Thousands of concurrent calls cost thousands of suspended tasks and sockets, not threads.
/// Connections are kept alive and reused per host by the multi handle's connection cache.
///
/// ```swift
/// let client = try CurlClient()
/// let response = try await client.perform(CurlRequest(method: "GET", url: "https://example.com/"))
/// ```
public final class CurlClient: Sendable {
    /// How the driver thread waits for socket activity.
    public enum EventMode: String, Sendable {
        /// epoll plus `curl_multi_socket_action`: work per wake-up follows the ready sockets.
        case socketAction = "socket-action"
        /// `curl_multi_poll` plus `curl_multi_perform`: work per wake-up follows all transfers.
        case poll
    }

    public struct Configuration: Sendable {
        /// The driver thread's name (at most 15 bytes are kept).
        public var name = "curl"
        public var eventMode = EventMode.socketAction
        /// Idle connections kept open for reuse, across all hosts.
        public var maxCachedConnections = 1024
        /// Connections to one host at once; 0 for no limit (further transfers queue in libcurl).
        public var maxConnectionsPerHost = 0
        /// Easy handles kept for reuse between transfers, per driver thread.
        public var maxPooledHandles = 1024
        /// Driver threads, each with its own multi handle and connection cache; transfers are
        /// spread over them in turn. One thread serves thousands of transfers; more may help a
        /// many-core host whose driver thread is saturated (measured on 2 cores shared with the
        /// server under test, a second one did not).
        public var drivers = 1

        public init() {}
    }

    private let drivers: [CurlDriver]
    private let nextDriver = Atomic<Int>(0)

    /// Starts the driver threads.
    ///
    /// - Throws: `SystemError` when epoll or the wake-up descriptor cannot be created.
    public init(configuration: Configuration = Configuration()) throws(SystemError) {
        var drivers: [CurlDriver] = []
        for _ in 0..<max(1, configuration.drivers) { drivers.append(try CurlDriver(configuration: configuration)) }
        self.drivers = drivers
        for (index, driver) in drivers.enumerated() {
            NativeThread.spawn(name: drivers.count == 1 ? configuration.name : "\(configuration.name)-\(index)") { driver.run() }
        }
    }

    deinit { shutdown() }

    /// Runs `request` and returns its response, whatever its status.
    ///
    /// - Throws: `CurlError` when no response arrived (connect failure, timeout, TLS, broken
    ///   connection); `CancellationError` when the calling task was cancelled, in which case the
    ///   transfer is removed at once.
    public func perform(_ request: CurlRequest) async throws -> CurlResponse {
        try Task.checkCancellation()
        let driver = drivers.count == 1 ? drivers[0]
            : drivers.first(where: \.isDriverThread) ?? drivers[nextDriver.wrappingAdd(1, ordering: .relaxed).oldValue % drivers.count]
        let easy = driver.acquireEasy()
        do {
            try easy.configure(request)
        } catch {
            driver.recycle(easy)
            throw error
        }
        let transfer = CurlTransfer(easy: easy, driver: driver)
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { continuation in
                if transfer.start(continuation) {
                    driver.submit(transfer)
                } else {
                    driver.recycle(easy)
                    continuation.resume(throwing: CancellationError())
                }
            }
        } onCancel: {
            // One captured reference: the closure needs no context allocation of its own.
            transfer.cancel()
        }
    }

    /// The (first) driver thread as a task executor. Tasks run with
    /// `withTaskExecutorPreference(client.taskExecutor) { … }` submit, await and resume their calls
    /// on the driver thread without a thread hop per call. Only for tasks that do little between
    /// calls (fan-out, reconciliation, benchmarks): their work runs on the thread that serves
    /// every transfer. After `shutdown()` such tasks continue on the global pool.
    public var taskExecutor: any TaskExecutor { drivers[0] }

    /// Transfers submitted and not finished yet.
    public var transfersInFlight: Int { drivers.reduce(0) { $0 + $1.inFlight.load(ordering: .relaxed) } }

    /// Transfers finished since the client started, whatever their outcome.
    public var transfersCompleted: Int { drivers.reduce(0) { $0 + $1.completed.load(ordering: .relaxed) } }

    /// Fails every pending transfer with a `CurlError` of kind `.clientStopped` and ends the
    /// driver thread. Later calls fail the same way.
    public func shutdown() {
        for driver in drivers { driver.stop() }
    }

    /// The libcurl version and its TLS library, for logs and benchmark reports.
    public static var libraryVersion: String { CurlGlobal.version }
}
