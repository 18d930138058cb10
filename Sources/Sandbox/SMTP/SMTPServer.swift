import Model
import Native
import Synchronization

/// A tiny SMTP server for the sandbox: accepts any sender, recipient and (AUTH PLAIN/LOGIN)
/// credentials, offers no STARTTLS, and puts every message it receives in the outbox. One
/// thread per connection; it is a test double, not a relay.
final class SMTPServer: Sendable {
    private let host: String
    private let requestedPort: Int
    private let outbox: Outbox
    private let state = Mutex<(listener: Socket?, port: Int, isStopping: Bool)>((nil, 0, false))
    private let logger = Logger(label: "sandbox.smtp")

    init(host: String, port: Int, outbox: Outbox) {
        self.host = host
        requestedPort = port
        self.outbox = outbox
    }

    var port: Int { state.withLock { $0.port } }

    /// Binds and starts accepting; returns the bound port.
    @discardableResult
    func start() throws -> Int {
        let listener = try Socket.makeListener(host: host, port: requestedPort, reusePort: false, backlog: 128)
        do {
            try listener.setBlocking(true)
        } catch {
            listener.close()
            throw error
        }
        let port = try listener.localPort()
        state.withLock { $0 = (listener, port, false) }
        NativeThread.spawn(name: "sandbox-smtp") { [self] in acceptLoop(listener) }
        return port
    }

    func shutdown() {
        let listener = state.withLock { state -> Socket? in
            state.isStopping = true
            defer { state.listener = nil }
            return state.listener
        }
        // The accept loop wakes with an error and closes the listener.
        listener?.shutdownReadWrite()
    }

    private func acceptLoop(_ listener: Socket) {
        while true {
            let connection: Socket
            do {
                connection = try listener.acceptBlocking()
            } catch {
                if state.withLock({ $0.isStopping }) { break }
                logger.warning("smtp accept failed", ["error": .string(error.description)])
                continue
            }
            let outbox = self.outbox
            NativeThread.spawn(name: "sandbox-smtp-c") {
                var session = SMTPSession(socket: connection, outbox: outbox)
                session.run()
                connection.close()
            }
        }
        listener.close()
    }
}
