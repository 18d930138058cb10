import Dispatch
import Glibc
import Synchronization
import Testing
@testable import Native

@Suite(.timeLimit(.minutes(1)))
struct DirectoryWatcherTests {
    final class Recorder: Sendable {
        let changes = Mutex<[DirectoryWatcher.Change]>([])

        /// Waits up to `seconds` for a change satisfying `predicate`.
        func wait(seconds: Double = 3, _ predicate: (DirectoryWatcher.Change) -> Bool) -> DirectoryWatcher.Change? {
            let deadline = Clock.monotonicNanos() + UInt64(seconds * 1e9)
            while Clock.monotonicNanos() < deadline {
                if let found = changes.withLock({ $0.first(where: predicate) }) { return found }
                usleep(10_000)
            }
            return nil
        }

        var all: [DirectoryWatcher.Change] { changes.withLock { $0 } }
    }

    @Test func missingDirectory_throws_andClosesOnlyItsOwnDescriptors() throws {
        // A failed watch used to close its inotify descriptor twice; the second close hit whatever
        // another thread had opened under that number meanwhile. Another thread here keeps
        // opening descriptors and checks that each is still open when it closes it.
        let stop = Atomic<Bool>(false)
        let lost = Atomic<Int>(0)
        let done = DispatchSemaphore(value: 0)
        NativeThread.spawn(name: "fd-opener") {
            while !stop.load(ordering: .relaxed) {
                let fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
                if fd < 0 { continue }
                if fcntl(fd, F_GETFD) == -1 || close(fd) != 0 { lost.add(1, ordering: .relaxed) }
            }
            done.signal()
        }
        var failures = 0
        for n in 0..<3_000 {
            do {
                _ = try DirectoryWatcher(directory: "/nonexistent/switchboard-watch-\(n)") { _ in }
            } catch {
                failures += 1
            }
        }
        stop.store(true, ordering: .relaxed)
        done.wait()
        #expect(failures == 3_000)
        #expect(lost.load(ordering: .relaxed) == 0, "descriptors closed under another thread")
    }

    private func makeWatcher() throws -> (String, DirectoryWatcher, Recorder) {
        let directory = try FileSystem.makeTemporaryDirectory(prefix: "watch-test")
        let recorder = Recorder()
        let watcher = try DirectoryWatcher(directory: directory, debounce: .milliseconds(50)) { change in
            recorder.changes.withLock { $0.append(change) }
        }
        return (directory, watcher, recorder)
    }

    @Test func write_isReportedOnce_afterTheDebounce() throws {
        let (directory, watcher, recorder) = try makeWatcher()
        defer { watcher.stop(); FileSystem.removeTree(directory) }
        let started = Clock.monotonicNanos()
        let fd = open(directory + "/acme.yaml", O_WRONLY | O_CREAT, 0o644)
        for _ in 0..<5 { _ = write(fd, "x", 1); usleep(5_000) }
        close(fd)
        let change = recorder.wait { $0.names.contains("acme.yaml") }
        #expect(change != nil)
        #expect(Clock.monotonicNanos() - started < 1_000_000_000)
        usleep(150_000)
        #expect(recorder.all.count == 1)
    }

    @Test func renameSwap_reportsTheFinalName() throws {
        let (directory, watcher, recorder) = try makeWatcher()
        defer { watcher.stop(); FileSystem.removeTree(directory) }
        try FileSystem.writeFileAtomically(directory + "/clinic.yaml", Array("a: 1\n".utf8))
        #expect(recorder.wait { $0.names.contains("clinic.yaml") } != nil)
    }

    @Test func delete_isReported() throws {
        let (directory, watcher, recorder) = try makeWatcher()
        defer { watcher.stop(); FileSystem.removeTree(directory) }
        try FileSystem.writeFileAtomically(directory + "/gone.yaml", Array("a: 1\n".utf8))
        _ = recorder.wait { $0.names.contains("gone.yaml") }
        recorder.changes.withLock { $0.removeAll() }
        try FileSystem.removeFile(directory + "/gone.yaml")
        #expect(recorder.wait { $0.names == ["gone.yaml"] } != nil)
    }

    @Test func replacedDirectory_asksForARescan_andIsWatchedAgain() throws {
        let (directory, watcher, recorder) = try makeWatcher()
        defer { watcher.stop(); FileSystem.removeTree(directory); FileSystem.removeTree(directory + ".old") }
        rename(directory, directory + ".old")
        mkdir(directory, 0o755)
        #expect(recorder.wait { $0.needsRescan } != nil)
        recorder.changes.withLock { $0.removeAll() }
        try FileSystem.writeFileAtomically(directory + "/new.yaml", Array("a: 1\n".utf8))
        #expect(recorder.wait { $0.names.contains("new.yaml") } != nil)
    }

    @Test func stop_endsDelivery() throws {
        let (directory, watcher, recorder) = try makeWatcher()
        defer { FileSystem.removeTree(directory) }
        watcher.stop()
        usleep(50_000)
        try FileSystem.writeFileAtomically(directory + "/late.yaml", Array("a: 1\n".utf8))
        usleep(200_000)
        #expect(recorder.all.isEmpty)
    }
}
