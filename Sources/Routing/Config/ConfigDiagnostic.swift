import Model

/// One problem in a tenant file: where, which setting, and what to do about it.
public struct ConfigDiagnostic: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var location: SourceLocation
    /// The dotted setting path (`services.drain_cleaning.price`); empty for file-level problems
    /// such as YAML syntax errors.
    public var path: String
    public var message: String

    public init(location: SourceLocation, path: String, message: String) {
        self.location = location
        self.path = path
        self.message = message
    }

    /// `tenants/acme.yaml:14:5: services.drain_cleaning.price: expected an amount like 89.00, got "eighty"`
    public var description: String {
        path.isEmpty ? "\(location): \(message)" : "\(location): \(path): \(message)"
    }

    public static func < (lhs: ConfigDiagnostic, rhs: ConfigDiagnostic) -> Bool {
        if lhs.location != rhs.location { return lhs.location < rhs.location }
        return lhs.description < rhs.description
    }
}

/// A tenant file that cannot be used, with every problem found in it, in file order.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var diagnostics: [ConfigDiagnostic]

    public init(file: String, diagnostics: [ConfigDiagnostic]) {
        self.file = file
        self.diagnostics = diagnostics.sorted()
    }

    /// One `file:line:col: path: message` line per problem.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
