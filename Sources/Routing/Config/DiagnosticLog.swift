import Model

/// Collects the problems of one file as decoding and validation find them, without duplicates.
final class DiagnosticLog {
    private(set) var diagnostics: [ConfigDiagnostic] = []
    private var seen: Set<ConfigDiagnostic> = []

    func error(_ message: String, at location: SourceLocation, path: String) {
        let diagnostic = ConfigDiagnostic(location: location, path: path, message: message)
        if seen.insert(diagnostic).inserted { diagnostics.append(diagnostic) }
    }

    var isEmpty: Bool { diagnostics.isEmpty }
    var count: Int { diagnostics.count }
}

/// Where each setting was read from, by dotted path, for validators that run after decoding.
struct LocationIndex {
    /// The value's node.
    var values: [String: SourceLocation] = [:]
    /// The key that introduced the value (for mapping members).
    var keys: [String: SourceLocation] = [:]
    /// Scalars holding templates, to place a template's own line:column in the file.
    var texts: [String: TextOrigin] = [:]
    /// Entries the file declares (`templates.booking_confirmed`, `services.drain`), valid or not:
    /// a reference to a declared entry that failed to decode is not reported a second time.
    var declared: Set<String> = []

    /// The key's location if the path was a mapping member, else the value's, else the nearest
    /// enclosing setting's.
    func location(_ path: String) -> SourceLocation? {
        var current = Substring(path)
        while true {
            if let location = keys[String(current)] ?? values[String(current)] { return location }
            guard let dot = current.lastIndex(of: ".") else { return nil }
            current = current[..<dot]
        }
    }

    func valueLocation(_ path: String) -> SourceLocation? { values[path] ?? location(path) }
}

/// Joins dotted setting paths.
func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }
