/// `${NAME}` and `${NAME:-default}` references in the settings that take them (base URLs,
/// credentials, secrets, CA files). `$$` writes a literal `$`. Expansion reads the environment
/// dictionary the loader was given, never the process environment directly.
enum EnvironmentReference {
    struct Expansion {
        var text: String
        /// The variables read, in order.
        var variables: [String]
    }

    struct Problem: Error {
        var message: String
        /// Where in the text, in Unicode scalars.
        var offset: Int
    }

    static func expand(_ text: String, environment: [String: String]) -> Result<Expansion, Problem> {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var variables: [String] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == "$", index + 1 < scalars.count else { out.append(scalar); index += 1; continue }
            if scalars[index + 1] == "$" { out.append("$"); index += 2; continue }
            guard scalars[index + 1] == "{" else { out.append(scalar); index += 1; continue }
            guard let close = scalars[(index + 2)...].firstIndex(of: "}") else {
                return .failure(Problem(message: "`${` is never closed: write ${NAME}", offset: index))
            }
            let body = String(String.UnicodeScalarView(scalars[(index + 2)..<close]))
            let parts = body.split(separator: ":-", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let name = parts[0]
            guard isVariableName(name) else {
                return .failure(Problem(message: "\"\(name)\" is not an environment variable name (letters, digits and _)", offset: index))
            }
            variables.append(name)
            if let value = environment[name], !(parts.count > 1 && value.isEmpty) {
                out.append(contentsOf: value.unicodeScalars)
            } else if parts.count > 1 {
                out.append(contentsOf: parts[1].unicodeScalars)
            } else {
                return .failure(Problem(message: "${\(name)} is not set in the environment: set it, or give a default as ${\(name):-value}",
                                        offset: index))
            }
            index = close + 1
        }
        return .success(Expansion(text: String(out), variables: variables))
    }

    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(first >= 48 && first <= 57) else { return false }
        return name.utf8.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }
}
