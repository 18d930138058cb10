internal import CLinux
import Glibc

// Blocking use of sockets, for line-oriented servers with a thread per connection (the sandbox's
// SMTP server) and for tests. Event loops never use these.
extension Socket {
    /// Switches the descriptor between blocking and non-blocking mode.
    public func setBlocking(_ isBlocking: Bool) throws(SystemError) {
        let flags = try check("fcntl(F_GETFL)", subject: description) { switchboard_fcntl_getfl(fd) }
        let updated = isBlocking ? flags & ~Int32(O_NONBLOCK) : flags | Int32(O_NONBLOCK)
        _ = try check("fcntl(F_SETFL)", subject: description) { switchboard_fcntl_setfl(fd, updated) }
    }

    /// Waits for a connection on a blocking listener; the accepted socket is blocking too.
    ///
    /// - Throws: `SystemError` when the listener was shut down (`shutdownReadWrite()`) or failed.
    public func acceptBlocking() throws(SystemError) -> Socket {
        switch try syscall(blocking: true, "accept4", { switchboard_accept4(fd, Int32(SOCK_CLOEXEC.rawValue)) }) {
        case .processed(let fd): return Socket(fd: fd)
        case .wouldBlock: throw SystemError(call: "accept4", errno: EAGAIN, subject: description)
        }
    }

    /// Reads what is available (blocking); 0 means the peer closed. A receive timeout set with
    /// `setReceiveTimeout` ends the wait with an `EAGAIN` error.
    public func receiveBlocking(into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int {
        switch try syscall(blocking: true, "read", subject: description, { Glibc.read(fd, buffer.baseAddress, buffer.count) }) {
        case .processed(let count): return count
        case .wouldBlock: throw SystemError(call: "read", errno: EAGAIN, subject: description)
        }
    }

    /// Stops both directions: a thread blocked in `acceptBlocking` or `receiveBlocking` returns.
    public func shutdownReadWrite() {
        _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
    }
}
