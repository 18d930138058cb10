internal import CLinux
import Glibc

/// A TCP socket descriptor. It does not own the descriptor: whoever creates one calls `close()`
/// exactly once (the HTTP connection, the listener, the test client).
public struct Socket: Sendable, Hashable, CustomStringConvertible {
    public let fd: Int32

    public init(fd: Int32) { self.fd = fd }

    public var description: String { "socket \(fd)" }

    /// Creates a non-blocking listening socket bound to `host:port`.
    ///
    /// - Parameters:
    ///   - reusePort: sets SO_REUSEPORT so several event loops can each own a listener on the same
    ///     port and let the kernel spread connections between them.
    public static func makeListener(host: String, port: Int, reusePort: Bool, backlog: Int32 = 4096) throws(SystemError) -> Socket {
        let address = try SocketAddress.resolve(host: host, port: port)
        let subject = "\(host):\(port)"
        let fd = try check("socket", subject: subject) {
            Glibc.socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        let socket = Socket(fd: fd)
        do {
            try socket.setOption(SOL_SOCKET, SO_REUSEADDR, 1)
            if reusePort { try socket.setOption(SOL_SOCKET, SO_REUSEPORT, 1) }
            if address.family == AF_INET6 { try? socket.setOption(Int32(IPPROTO_IPV6), IPV6_V6ONLY, 0) }
            _ = try address.withSockAddr { pointer, length throws(SystemError) in
                try check("bind", subject: subject) { Glibc.bind(fd, pointer, length) }
            }
            _ = try check("listen", subject: subject) { Glibc.listen(fd, backlog) }
        } catch {
            socket.close()
            throw error
        }
        return socket
    }

    /// Connects a blocking socket to `host:port` (tests and command-line clients).
    public static func connect(host: String, port: Int) throws(SystemError) -> Socket {
        let address = try SocketAddress.resolve(host: host, port: port)
        let subject = "\(host):\(port)"
        let fd = try check("socket", subject: subject) {
            Glibc.socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        let socket = Socket(fd: fd)
        do {
            _ = try address.withSockAddr { pointer, length throws(SystemError) in
                try check("connect", subject: subject) { Glibc.connect(fd, pointer, length) }
            }
        } catch {
            socket.close()
            throw error
        }
        return socket
    }

    /// The local port this socket is bound to (useful after binding port 0).
    public func localPort() throws(SystemError) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = try withUnsafeMutablePointer(to: &storage) { pointer throws(SystemError) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw throws(SystemError) in
                try check("getsockname", subject: description) { getsockname(fd, raw, &length) }
            }
        }
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
        default:
            return 0
        }
    }

    /// Accepts one pending connection as a non-blocking, close-on-exec socket.
    @inline(__always)
    public func accept() throws(SystemError) -> IOResult<Socket> {
        let flags = Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        switch try syscall(blocking: false, "accept4", { switchboard_accept4(fd, flags) }) {
        case .processed(let fd): return .processed(Socket(fd: fd))
        case .wouldBlock: return .wouldBlock
        }
    }

    /// Reads into `buffer`; `.processed(0)` means the peer closed its side.
    @inline(__always)
    public func receive(into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> IOResult<Int> {
        try syscall(blocking: false, "read", { Glibc.read(fd, buffer.baseAddress, buffer.count) })
    }

    /// Sends bytes without raising SIGPIPE; returns how many were taken.
    @inline(__always)
    public func send(_ buffer: UnsafeRawBufferPointer) throws(SystemError) -> IOResult<Int> {
        try syscall(blocking: false, "send", { Glibc.send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL)) })
    }

    /// Blocking send of everything in `bytes` (tests and clients).
    public func sendAll(_ bytes: [UInt8]) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            let result = bytes.withUnsafeBytes { buffer -> Result<IOResult<Int>, SystemError> in
                let rest = UnsafeRawBufferPointer(rebasing: buffer[offset...])
                return Result { () throws(SystemError) in
                    try syscall(blocking: true, "send", { Glibc.send(fd, rest.baseAddress, rest.count, Int32(MSG_NOSIGNAL)) })
                }
            }
            if case .processed(let n) = try result.get() { offset += n }
        }
    }

    /// Disables Nagle's algorithm so small responses leave at once.
    public func setNoDelay() {
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Sets a receive timeout on a blocking socket (tests and clients).
    public func setReceiveTimeout(milliseconds: Int) {
        var tv = timeval(tv_sec: milliseconds / 1000, tv_usec: (milliseconds % 1000) * 1000)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    func setOption(_ level: Int32, _ name: Int32, _ value: Int32) throws(SystemError) {
        var value = value
        _ = try check("setsockopt", subject: description) {
            setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    /// Stops further sends; the peer reads end-of-file after what was already sent.
    public func shutdownWrite() {
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    public func close() {
        // > If close() is interrupted by a signal ... the state of fd is unspecified.
        // On Linux the descriptor is always released, so EINTR must not be retried.
        _ = Glibc.close(fd)
    }
}
