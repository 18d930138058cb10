internal import CLinux
import Glibc

/// A detached OS thread for work that must not run on Swift's cooperative pool: an epoll loop, a
/// curl multi driver, a database writer.
public enum NativeThread {
    private final class Box {
        let body: () -> Void
        let name: String
        init(name: String, body: @escaping () -> Void) {
            self.name = name
            self.body = body
        }
    }

    /// Starts `body` on a new thread named `name` (at most 15 bytes are kept, a Linux limit).
    public static func spawn(name: String, _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Box(name: name, body: body)).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            _ = switchboard_set_thread_name(String(box.name.utf8.prefix(15))!)
            box.body()
            return nil
        }, box)
        precondition(rc == 0, "pthread_create failed for thread \(name): errno \(rc)")
        pthread_detach(thread)
    }

    /// The number of CPUs this process may run on.
    public static var availableCores: Int { Int(switchboard_available_cpus()) }
}
