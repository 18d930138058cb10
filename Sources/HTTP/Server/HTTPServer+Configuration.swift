import Native

extension HTTPServer {
    /// Everything that shapes how the server listens, parses and protects itself.
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        /// 0 picks a free port; read it back from `HTTPServer.port`.
        public var port = 8080
        /// Event loops (threads), each with its own SO_REUSEPORT listener.
        public var loops = NativeThread.availableCores
        public var limits = HTTPLimits()
        /// A request head must arrive complete within this time of its first byte (slowloris).
        public var headerTimeoutSeconds = 10.0
        /// A request body must arrive complete within this time of its head.
        public var bodyTimeoutSeconds = 30.0
        /// An idle keep-alive connection is closed after this long.
        public var idleTimeoutSeconds = 60.0
        /// A client that reads nothing of a pending response for this long is dropped.
        public var writeTimeoutSeconds = 30.0
        /// Open connections across all loops; past it new ones get 503 and are closed.
        public var maxConnections = 20_000
        /// Async handlers running at once across the server; past it requests get 503.
        public var maxInFlight = 2048
        /// Requests read ahead of their responses on one connection (pipelining depth).
        public var maxPipelined = 32
        /// Unsent response bytes above which a connection stops reading new requests.
        public var writeHighWater = 256 * 1024
        /// Graceful shutdown closes whatever is left after this long.
        public var shutdownGraceSeconds = 8.0
        /// Seconds in the `Retry-After` of overload answers.
        public var retryAfterSeconds = 1
        /// One JSON line per completed request, sampled under load.
        public var accessLog = AccessLog()

        public init() {}
    }
}
