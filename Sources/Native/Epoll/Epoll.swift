internal import CLinux
import Glibc

/// An epoll instance owned by one event-loop thread.
public final class Epoll {
    public struct Events: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        public static let readable = Events(rawValue: EPOLLIN.rawValue)
        public static let writable = Events(rawValue: EPOLLOUT.rawValue)
        public static let readHangup = Events(rawValue: EPOLLRDHUP.rawValue)
        public static let hangup = Events(rawValue: EPOLLHUP.rawValue)
        public static let error = Events(rawValue: EPOLLERR.rawValue)
        public static let edgeTriggered = Events(rawValue: EPOLLET.rawValue)
    }

    private let fd: Int32
    private let capacity: Int
    private let buffer: UnsafeMutablePointer<epoll_event>

    public init(capacity: Int = 512) throws(SystemError) {
        fd = try check("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        self.capacity = capacity
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        buffer.deallocate()
        Glibc.close(fd)
    }

    /// Registers `descriptor`; events for it report `descriptor` back.
    public func add(_ descriptor: Int32, events: Events) throws(SystemError) {
        try control(EPOLL_CTL_ADD, descriptor, events)
    }

    public func modify(_ descriptor: Int32, events: Events) throws(SystemError) {
        try control(EPOLL_CTL_MOD, descriptor, events)
    }

    public func remove(_ descriptor: Int32) {
        var event = epoll_event()
        _ = epoll_ctl(fd, EPOLL_CTL_DEL, descriptor, &event)
    }

    private func control(_ op: Int32, _ descriptor: Int32, _ events: Events) throws(SystemError) {
        var event = epoll_event()
        event.events = events.rawValue
        event.data.fd = descriptor
        _ = try check("epoll_ctl", subject: "fd \(descriptor)") { epoll_ctl(fd, op, descriptor, &event) }
    }

    /// Waits up to `timeoutMillis` (-1: forever) and returns how many events are ready; read them
    /// with `event(at:)` before the next call.
    @inline(__always)
    public func wait(timeoutMillis: Int32) -> Int {
        while true {
            let n = epoll_wait(fd, buffer, Int32(capacity), timeoutMillis)
            if n >= 0 { return Int(n) }
            let err = switchboard_errno()
            if err == EINTR { continue }
            preconditionFailure("epoll_wait failed: errno \(err)")
        }
    }

    @inline(__always)
    public func event(at index: Int) -> (descriptor: Int32, events: Events) {
        let event = buffer[index]
        return (event.data.fd, Events(rawValue: event.events))
    }
}

/// An eventfd used to wake an event loop from another thread.
public final class EventFD: @unchecked Sendable {
    // Sendable: the descriptor is written from any thread and read only by its loop; eventfd
    // reads and writes are atomic in the kernel.
    public let fd: Int32

    public init() throws(SystemError) {
        fd = try check("eventfd") { eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC)) }
    }

    deinit { Glibc.close(fd) }

    /// Wakes the loop that polls this descriptor.
    public func signal() {
        var one: UInt64 = 1
        _ = Glibc.write(fd, &one, 8)
    }

    /// Clears pending wake-ups.
    public func drain() {
        var value: UInt64 = 0
        _ = Glibc.read(fd, &value, 8)
    }
}
