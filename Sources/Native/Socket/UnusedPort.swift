import Synchronization

extension Socket {
    /// A loopback port nothing listens on, for a server that must be told its port before it binds
    /// (tests, tools that start a server and then a client). Never the same port twice in one
    /// process: Switchboard binds with SO_REUSEPORT, so two servers given one port by the kernel
    /// (each probe closed before its server bound) would both bind it and share connections.
    public static func unusedLoopbackPort() throws(SystemError) -> Int {
        while true {
            let socket = try makeListener(host: "127.0.0.1", port: 0, reusePort: false)
            defer { socket.close() }
            let port = try socket.localPort()
            if portsHandedOut.withLock({ $0.insert(port).inserted }) { return port }
        }
    }

    private static let portsHandedOut = Mutex<Set<Int>>([])
}
