import Glibc
import Model
import Synchronization

/// Structured logs: one JSON object per line on stderr.
///
/// Values are what the caller passes; callers never pass secrets (keys, tokens, signatures) and
/// pass customer data only where an operator needs it to act.
public struct Logger: Sendable {
    public enum Level: Int, Sendable, Comparable, CustomStringConvertible {
        case debug = 0, info, warning, error

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

        public var description: String {
            switch self {
            case .debug: return "debug"
            case .info: return "info"
            case .warning: return "warning"
            case .error: return "error"
            }
        }

        public init?(name: String) {
            switch name.lowercased() {
            case "debug": self = .debug
            case "info": self = .info
            case "warning", "warn": self = .warning
            case "error": self = .error
            default: return nil
            }
        }
    }

    /// The process-wide minimum level; set once at start-up from the CLI.
    private static let minimum = Atomic<Int>(Level.info.rawValue)
    /// Where lines go: stderr unless a test redirects it.
    private static let destination = Atomic<Int32>(2)

    public static func setMinimumLevel(_ level: Level) { minimum.store(level.rawValue, ordering: .relaxed) }
    public static func setDestination(fd: Int32) { destination.store(fd, ordering: .relaxed) }

    public let label: String

    public init(label: String) { self.label = label }

    /// A description of `error` that is safe to log: its own `description` when it has one (our
    /// error types keep secrets out of theirs), otherwise only its type, because the default
    /// reflection of an error prints every stored field, tokens included.
    public static func describe(_ error: any Error) -> String {
        if let error = error as? any CustomStringConvertible { return error.description }
        return "\(type(of: error))"
    }

    public func isEnabled(_ level: Level) -> Bool { level.rawValue >= Logger.minimum.load(ordering: .relaxed) }

    public func debug(_ message: String, _ fields: @autoclosure () -> JSONObject = [:]) { log(.debug, message, fields()) }
    public func info(_ message: String, _ fields: @autoclosure () -> JSONObject = [:]) { log(.info, message, fields()) }
    public func warning(_ message: String, _ fields: @autoclosure () -> JSONObject = [:]) { log(.warning, message, fields()) }
    public func error(_ message: String, _ fields: @autoclosure () -> JSONObject = [:]) { log(.error, message, fields()) }

    public func log(_ level: Level, _ message: String, _ fields: @autoclosure () -> JSONObject) {
        guard isEnabled(level) else { return }
        write(level: level, message: message, fields: fields(), to: Logger.destination.load(ordering: .relaxed))
    }

    func write(level: Level, message: String, fields: JSONObject, to fd: Int32) {
        var object = JSONObject()
        object["ts"] = .string(Timestamp.iso8601(millis: Clock.unixMillis()))
        object["level"] = .string(level.description)
        object["logger"] = .string(label)
        object["msg"] = .string(message)
        for member in fields where object[member.key] == nil { object[member.key] = member.value }
        var line = JSON.object(object).serializedBytes()
        line.append(0x0A)
        // One write per line: lines from different threads never interleave (each is far below
        // PIPE_BUF on a pipe, and O_APPEND files take single writes atomically).
        line.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
    }
}
