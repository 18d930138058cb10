internal import CLinux
import Glibc

/// Process signals handled as ordinary events rather than in async-signal context.
public enum Signals {
    public enum Kind: Sendable, Equatable {
        case terminate  // SIGTERM
        case interrupt  // SIGINT
        case hangup     // SIGHUP
    }

    /// Blocks SIGTERM, SIGINT and SIGHUP in this thread and every thread it starts afterwards, and
    /// ignores SIGPIPE. Call first thing in `main`, before any thread exists.
    public static func blockHandled() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGHUP)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        signal(SIGPIPE, SIG_IGN)
    }

    /// Starts a thread that waits for the blocked signals and calls `handler` for each.
    public static func startListening(_ handler: @escaping @Sendable (Kind) -> Void) {
        NativeThread.spawn(name: "signals") {
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, SIGTERM)
            sigaddset(&set, SIGINT)
            sigaddset(&set, SIGHUP)
            while true {
                var number: Int32 = 0
                // > The sigwait() function suspends execution of the calling thread until one of
                // > the signals specified in the signal set set becomes pending.
                guard sigwait(&set, &number) == 0 else { continue }
                switch number {
                case SIGTERM: handler(.terminate)
                case SIGINT: handler(.interrupt)
                case SIGHUP: handler(.hangup)
                default: continue
                }
            }
        }
    }

    /// Raises the soft limit on open files to the hard limit; returns the new soft limit.
    @discardableResult
    public static func raiseFileLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return Int(clamping: limit.rlim_cur)
    }
}
