internal import CLinux
import Glibc

/// A failed system call: which call, on what, and the errno it left.
public struct SystemError: Error, Sendable, CustomStringConvertible {
    public var call: String
    public var errno: Int32
    /// What the call was about: an address, a path, a file descriptor.
    public var subject: String?

    public init(call: String, errno: Int32, subject: String? = nil) {
        self.call = call
        self.errno = errno
        self.subject = subject
    }

    public var description: String {
        let reason = String(cString: strerror(errno))
        if let subject { return "\(call) failed for \(subject): \(reason) (errno \(errno))" }
        return "\(call) failed: \(reason) (errno \(errno))"
    }

    static func last(_ call: String, subject: String? = nil) -> SystemError {
        SystemError(call: call, errno: switchboard_errno(), subject: subject)
    }
}

/// The result of a non-blocking operation.
public enum IOResult<Value> {
    case processed(Value)
    case wouldBlock
}

/// Runs a system call, retrying on EINTR, turning EAGAIN into `.wouldBlock` for non-blocking calls,
/// and trapping on errors that can only be our own bug (a closed or invalid descriptor, a bad pointer).
@inline(__always)
func syscall<T: FixedWidthInteger>(
    blocking: Bool, _ call: StaticString, subject: @autoclosure () -> String? = nil, _ body: () -> T
) throws(SystemError) -> IOResult<T> {
    while true {
        let result = body()
        if result >= 0 { return .processed(result) }
        let err = switchboard_errno()
        switch err {
        case EINTR: continue
        case EAGAIN where !blocking: return .wouldBlock
        case EBADF, EFAULT:
            preconditionFailure("\(call) returned \(err): a descriptor or pointer bug in Switchboard")
        default:
            throw SystemError(call: "\(call)", errno: err, subject: subject())
        }
    }
}

/// Runs a system call that must not block, throwing on failure.
@inline(__always)
func check<T: FixedWidthInteger>(_ call: StaticString, subject: @autoclosure () -> String? = nil, _ body: () -> T) throws(SystemError) -> T {
    switch try syscall(blocking: true, call, subject: subject(), body) {
    case .processed(let value): return value
    case .wouldBlock: fatalError("unreachable: blocking call reported would-block")
    }
}
extension IOResult: Sendable where Value: Sendable {}
