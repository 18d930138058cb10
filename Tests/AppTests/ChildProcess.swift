import Glibc
import Model
import Native

/// The built `switchboard` binary run as a child process, its stderr captured to a file.
final class ChildProcess: @unchecked Sendable {
    // @unchecked Sendable: the pid is immutable; the log is read through the file system.
    let pid: pid_t
    let logPath: String

    /// `.build/debug/switchboard`, next to the test bundle.
    static var binaryPath: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let exe = String(decoding: buffer[0..<max(0, n)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var folder = exe
        while !folder.isEmpty, !folder.hasSuffix("/") { folder.removeLast() }
        return folder + "switchboard"
    }

    init(arguments: [String], environment: [String: String] = [:]) throws {
        logPath = "/tmp/switchboard-test-\(getpid())-\(Clock.monotonicNanos()).log"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 2, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        // The test runner blocks no signals we care about, but be explicit: the child starts clean.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))

        let path = ChildProcess.binaryPath
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard rc == 0 else { throw SystemError(call: "posix_spawn", errno: rc, subject: path) }
        self.pid = pid
    }

    deinit {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, WNOHANG)
        unlink(logPath)
    }

    var log: String {
        guard let file = fopen(logPath, "r") else { return "" }
        defer { fclose(file) }
        var text = ""
        var buffer = [CChar](repeating: 0, count: 4096)
        while fgets(&buffer, Int32(buffer.count), file) != nil {
            text += String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return text
    }

    /// Waits for the "listening" log line and returns the port it names.
    func waitForPort(timeoutSeconds: Double = 20) throws -> Int {
        let deadline = Clock.monotonicNanos() + UInt64(timeoutSeconds * 1e9)
        while Clock.monotonicNanos() < deadline {
            for line in log.split(separator: "\n") where line.contains("\"msg\":\"listening\"") {
                if let json = try? JSONParser.parse(line.utf8), let port = json["port"]?.intValue { return Int(port) }
            }
            usleep(20_000)
        }
        throw SystemError(call: "waiting for the server to listen", errno: ETIMEDOUT, subject: log)
    }

    func signal(_ number: Int32) { kill(pid, number) }

    /// Waits for the process to exit; returns its exit status, or nil on timeout.
    func waitForExit(timeoutSeconds: Double) -> Int32? {
        let deadline = Clock.monotonicNanos() + UInt64(timeoutSeconds * 1e9)
        while Clock.monotonicNanos() < deadline {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
            }
            usleep(10_000)
        }
        return nil
    }
}
