/// A request a simulated provider refuses: rendered in that provider's error format.
public struct SandboxError: Error, Sendable, CustomStringConvertible {
    public var status: Int
    public var message: String

    public init(status: Int, message: String) {
        self.status = status
        self.message = message
    }

    static func badRequest(_ message: String) -> SandboxError { SandboxError(status: 400, message: message) }

    public var description: String { "sandbox: \(status) \(message)" }
}

extension SandboxError {
    static func notFound(_ message: String) -> SandboxError { SandboxError(status: 404, message: message) }
}
