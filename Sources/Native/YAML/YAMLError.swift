import Model

/// A YAML text that cannot be read: a syntax error from libyaml, a duplicate key, an unknown
/// alias, or a document over the size limits.
public struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var location: SourceLocation

    public init(_ message: String, at location: SourceLocation) {
        self.message = message
        self.location = location
    }

    /// `tenants/acme.yaml:3:7: mapping values are not allowed in this context`
    public var description: String { "\(location): \(message)" }
}
