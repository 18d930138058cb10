internal import CLinux
import Glibc
import Synchronization

/// Watches one directory with inotify on a thread of its own and reports changed entry names
/// after they have been quiet for a short while, so an editor's save (write a temporary file,
/// rename it over the original, remove the backup) arrives as one change.
///
/// ```swift
/// let watcher = try DirectoryWatcher(directory: "tenants") { change in
///     registry.reload(names: change.names, rescan: change.needsRescan)
/// }
/// // ...
/// watcher.stop()
/// ```
///
/// `onChange` runs on the watcher's thread, one call at a time.
public final class DirectoryWatcher: Sendable {
    /// Names in the directory that were written, created, renamed or removed. `needsRescan` says
    /// the kernel dropped events or the directory itself was replaced: compare everything.
    public struct Change: Sendable, Equatable {
        public var names: Set<String>
        public var needsRescan: Bool
    }

    public let directory: String
    private let control: Control

    /// Shared by the watcher and its thread.
    fileprivate final class Control: Sendable {
        let isStopped = Atomic<Bool>(false)
        let wake: EventFD

        init() throws(SystemError) { wake = try EventFD() }
    }

    /// Starts watching `directory`.
    ///
    /// - Parameters:
    ///   - debounce: how long the directory must stay quiet before a change is reported.
    ///   - maximumDelay: a change is reported after this long even if events keep coming.
    /// - Throws: `SystemError` when inotify is unavailable or the directory cannot be watched.
    public init(directory: String, debounce: Duration = .milliseconds(100), maximumDelay: Duration = .milliseconds(500),
                onChange: @escaping @Sendable (Change) -> Void) throws(SystemError) {
        self.directory = directory
        control = try Control()
        let inotify = try Inotify(directory: directory)
        let loop = WatchLoop(inotify: inotify, control: control,
                             debounceNanos: Self.nanos(debounce), maximumDelayNanos: Self.nanos(maximumDelay),
                             onChange: onChange)
        NativeThread.spawn(name: "config-watch") { loop.run() }
    }

    deinit { stop() }

    /// Stops the thread: no `onChange` call starts after the thread sees the request, which it
    /// does at once unless a call is running.
    public func stop() {
        guard !control.isStopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        control.wake.signal()
    }

    private static func nanos(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        return UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }
}

/// The inotify descriptor and its watch on one directory.
private final class Inotify: @unchecked Sendable {
    // @unchecked Sendable: created on the caller's thread, then used only by the watcher thread.
    let fd: Int32
    let directory: String
    private(set) var isWatching = false

    static let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE
                             | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

    init(directory: String) throws(SystemError) {
        self.directory = directory
        fd = try check("inotify_init1") { inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC)) }
        // Every stored property is set, so if `watch()` throws, `deinit` runs and closes `fd`.
        // Closing it here as well closed whatever another thread had opened under the same
        // number in between (a server's listener, a client's socket, an epoll instance).
        try watch()
    }

    deinit { close(fd) }

    /// (Re)adds the watch on the directory path, which may now be a new directory.
    func watch() throws(SystemError) {
        // > inotify_add_watch() adds a new watch, or modifies an existing watch, for the file
        // > whose location is specified in pathname.
        _ = try check("inotify_add_watch", subject: directory) { inotify_add_watch(fd, directory, Self.mask) }
        isWatching = true
    }

    func lostWatch() { isWatching = false }
}

/// The watcher thread's state: pending names and the debounce clock.
private final class WatchLoop: @unchecked Sendable {
    // @unchecked Sendable: handed to the watcher thread at spawn and used only there.
    let inotify: Inotify
    let control: DirectoryWatcher.Control
    let debounceNanos: UInt64
    let maximumDelayNanos: UInt64
    let onChange: @Sendable (DirectoryWatcher.Change) -> Void
    private var pending = Set<String>()
    private var needsRescan = false
    private var firstEventAt: UInt64 = 0
    private var lastEventAt: UInt64 = 0
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 8)
    // How often to try watching the directory again after it was removed or renamed.
    private let rewatchMillis: Int32 = 250

    init(inotify: Inotify, control: DirectoryWatcher.Control, debounceNanos: UInt64, maximumDelayNanos: UInt64,
         onChange: @escaping @Sendable (DirectoryWatcher.Change) -> Void) {
        self.inotify = inotify
        self.control = control
        self.debounceNanos = debounceNanos
        self.maximumDelayNanos = maximumDelayNanos
        self.onChange = onChange
    }

    deinit { buffer.deallocate() }

    func run() {
        var descriptors = [pollfd(fd: inotify.fd, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: control.wake.fd, events: Int16(POLLIN), revents: 0)]
        while !control.isStopped.load(ordering: .acquiring) {
            let ready = poll(&descriptors, 2, timeoutMillis())
            if ready < 0 && switchboard_errno() != EINTR { preconditionFailure("poll failed: errno \(switchboard_errno())") }
            if descriptors[1].revents != 0 { control.wake.drain() }
            if control.isStopped.load(ordering: .acquiring) { break }
            if descriptors[0].revents != 0 { readEvents() }
            if !inotify.isWatching, (try? inotify.watch()) != nil {
                // The directory is back (or was replaced): everything in it may differ.
                note(rescan: true)
            }
            deliverIfQuiet()
        }
    }

    private func timeoutMillis() -> Int32 {
        var timeout: Int32 = -1
        if !pending.isEmpty || needsRescan {
            let now = Clock.monotonicNanos()
            let quietAt = lastEventAt + debounceNanos
            let latestAt = firstEventAt + maximumDelayNanos
            let due = min(quietAt, latestAt)
            timeout = due > now ? Int32(min(UInt64(Int32.max), (due - now + 999_999) / 1_000_000)) : 0
        }
        if !inotify.isWatching { timeout = timeout < 0 ? rewatchMillis : min(timeout, rewatchMillis) }
        return timeout
    }

    private func readEvents() {
        while true {
            // > Each successful read(2) returns a buffer containing one or more inotify_event
            // > structures: wd, mask, cookie, len, then name, null-padded to len bytes.
            let n = read(inotify.fd, buffer.baseAddress, buffer.count)
            if n <= 0 { return }
            var offset = 0
            while offset + 16 <= n {
                let mask = buffer.load(fromByteOffset: offset + 4, as: UInt32.self)
                let length = Int(buffer.load(fromByteOffset: offset + 12, as: UInt32.self))
                let nameBytes = UnsafeRawBufferPointer(rebasing: buffer[(offset + 16)..<(offset + 16 + length)])
                let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
                handle(mask: mask, name: name)
                offset += 16 + length
            }
        }
    }

    private func handle(mask: UInt32, name: String) {
        if mask & UInt32(IN_Q_OVERFLOW) != 0 {
            note(rescan: true)
        } else if mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED) != 0 {
            inotify.lostWatch()
            note(rescan: true)
        } else if !name.isEmpty {
            pending.insert(name)
            note(rescan: false)
        }
    }

    private func note(rescan: Bool) {
        let now = Clock.monotonicNanos()
        if pending.isEmpty && !needsRescan || firstEventAt == 0 { firstEventAt = now }
        lastEventAt = now
        if rescan { needsRescan = true }
    }

    private func deliverIfQuiet() {
        guard !pending.isEmpty || needsRescan else { return }
        let now = Clock.monotonicNanos()
        guard now >= lastEventAt + debounceNanos || now >= firstEventAt + maximumDelayNanos else { return }
        let change = DirectoryWatcher.Change(names: pending, needsRescan: needsRescan)
        pending.removeAll()
        needsRescan = false
        firstEventAt = 0
        onChange(change)
    }
}
