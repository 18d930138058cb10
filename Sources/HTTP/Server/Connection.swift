import Native

/// The state of one client connection. Owned and touched only by its event loop's thread.
final class Connection {
    enum Phase {
        /// Reading a request head (possibly nothing yet).
        case head
        /// Reading the body of `head`.
        case body(RequestHead, remaining: Int)
        case chunkedBody(RequestHead, ChunkedDecoder)
        /// The last response is sent and the write side shut; reading and discarding until the
        /// peer closes, so the kernel does not reset the connection over unread bytes.
        case lingering
    }

    /// A response position in pipelining order; filled when its handler finishes.
    struct Slot {
        var sequence: UInt64
        var response: HTTPResponse?
        var isHead: Bool
        var keepAlive: Bool
        var version: HTTPVersion
        var route: Int
        var startedAt: UInt64
        /// For the access log: nil when the head could not be parsed.
        var method: HTTPMethod?
        var requestID: String
        /// The `{tenant}` parameter, when the route has one and it is a valid tenant id.
        var tenant: String?
    }

    let socket: Socket
    let id: UInt64
    /// Position in the loop's list of live connections.
    var liveIndex: Int

    var phase = Phase.head
    var scanner = HeadScanner()
    /// Received bytes not yet consumed (a partial head, or requests read ahead).
    var inbound: [UInt8] = []
    var body: [UInt8] = []

    var outbound: [UInt8] = []
    var outboundSent = 0
    var slots: [Slot] = []
    var nextSequence: UInt64 = 0
    var continuePending = false

    /// No further requests are read: the last one asked to close, or framing was lost.
    var closeAfterResponses = false
    var peerClosed = false
    var isClosed = false

    /// Registered epoll interest.
    var wantsRead = true
    var wantsWrite = false

    var deadline: UInt64 = .max
    var headDeadline: UInt64 = .max
    var bodyDeadline: UInt64 = .max

    init(socket: Socket, id: UInt64, liveIndex: Int) {
        self.socket = socket
        self.id = id
        self.liveIndex = liveIndex
    }

    var pendingOutboundBytes: Int { outbound.count - outboundSent }

    /// Nothing received, nothing owed: safe to close when the server drains.
    var isIdle: Bool {
        guard case .head = phase else { return false }
        return slots.isEmpty && pendingOutboundBytes == 0 && !scanner.hasPartialHead && inbound.isEmpty
    }
}
