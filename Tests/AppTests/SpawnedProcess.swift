import Glibc
import Native

/// The built `switchboard` binary run as a child process, its output captured in files.
final class SpawnedProcess: Sendable {
    static let packageRoot: String = {
        var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    static let binary = packageRoot + "/.build/debug/switchboard"

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let pid: pid_t
    let directory: String
    var stdoutPath: String { directory + "/stdout" }
    var stderrPath: String { directory + "/stderr" }

    /// Starts `switchboard arguments...` with exactly `environment`.
    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        guard FileSystem.kind(of: Self.binary) == .file else {
            throw Failure(description: "\(Self.binary) is missing: run `swift build` first")
        }
        directory = try FileSystem.makeTemporaryDirectory(prefix: "spawn")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, directory + "/stdout", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, directory + "/stderr", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([Self.binary] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, Self.binary, &actions, nil, argv, envp)
        guard rc == 0 else { throw Failure(description: "posix_spawn failed: \(rc)") }
        pid = child
    }

    deinit {
        if kill(pid, 0) == 0 { kill(pid, SIGKILL); _ = waitForExit() }
        FileSystem.removeTree(directory)
    }

    /// Waits for the process to end and returns its exit status.
    @discardableResult
    func waitForExit() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status >> 8) & 0xFF
    }

    var stdout: String { String(decoding: (try? FileSystem.readFile(stdoutPath)) ?? [], as: UTF8.self) }
    var stderr: String { String(decoding: (try? FileSystem.readFile(stderrPath)) ?? [], as: UTF8.self) }

    /// Runs `switchboard arguments...` to completion: (exit status, stdout, stderr).
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String, String) {
        let process = try SpawnedProcess(arguments, environment: environment)
        let status = process.waitForExit()
        return (status, process.stdout, process.stderr)
    }
}
