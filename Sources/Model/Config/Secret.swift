/// A credential or signing secret from the tenant file, usually resolved from `${ENV_VAR}`.
///
/// Its description, debug description, reflection and JSON form never contain the value, so a
/// secret can sit inside any configuration value that gets logged, dumped or traced. Read the
/// value with `reveal()` only where it is sent to the provider or used as a key.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String
    /// The environment variable the value came from, when it came from one: safe to show.
    public let source: String?

    public init(_ value: String, source: String? = nil) {
        self.value = value
        self.source = source
    }

    /// The secret itself. Never log, trace or put it in an error message.
    public func reveal() -> String { value }

    public var isEmpty: Bool { value.isEmpty }

    public var description: String { source.map { "<secret from $\($0)>" } ?? "<secret>" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["source": source as Any]) }

    /// What a JSON rendering of configuration shows in place of the value.
    public var json: JSON { .string(description) }
}
