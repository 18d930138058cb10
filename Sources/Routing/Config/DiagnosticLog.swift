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
}

/// Joins dotted setting paths.
func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }
