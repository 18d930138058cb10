extension SandboxServer {
    /// Where the sandbox listens and what it starts with.
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        /// 0 picks a free port (read it back from `baseURL`).
        public var port = 0
        /// The SMTP server's port (0: a free one); nil runs no SMTP server.
        public var smtpPort: Int? = 0
        /// Event loops of the HTTP server.
        public var loops = 1
        /// Faults in force from the start (`--latency-ms` and friends).
        public var faults: [FaultRule] = []
        public var webhooks: [WebhookTarget] = []
        /// Event types with their business hours; other ids get weekdays 9 to 5 UTC, 60 minutes.
        public var eventTypes: [SandboxEventType] = []
        /// The base URL written into links the sandbox hands out (checkout pages) when it is not
        /// `http://<host>:<port>`.
        public var publicBaseURL: String?

        public init() {}
    }
}
