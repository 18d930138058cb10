/// A command-line flag: `--name value` or `--name=value`, with an environment variable fallback.
struct Flag: Sendable {
    var name: String
    var environment: String?
    var valueName: String
    var help: String
    var defaultValue: String?
}

/// Parsed flags of one command; values from the command line win over the environment.
struct ParsedFlags {
    private(set) var values: [String: String] = [:]
    private(set) var switches: Set<String> = []
    private(set) var positional: [String] = []

    subscript(name: String) -> String? { values[name] }

    func contains(_ name: String) -> Bool { switches.contains(name) }

    func int(_ name: String) throws(UsageError) -> Int? {
        guard let text = values[name] else { return nil }
        guard let value = Int(text) else { throw UsageError("--\(name) expects a whole number, got '\(text)'") }
        return value
    }

    /// Parses `arguments` against `flags` (valued) and `switchNames` (no value).
    static func parse(_ arguments: [String], flags: [Flag], switchNames: Set<String> = [],
                      allowPositional: Bool = false, environment: [String: String]) throws(UsageError) -> ParsedFlags {
        var parsed = ParsedFlags()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--") else {
                guard allowPositional else { throw UsageError("unexpected argument '\(argument)'") }
                parsed.positional.append(argument)
                continue
            }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if switchNames.contains(name) {
                guard inlineValue == nil else { throw UsageError("--\(name) takes no value") }
                parsed.switches.insert(name)
                continue
            }
            guard flags.contains(where: { $0.name == name }) else {
                throw UsageError("unknown option '--\(name)'")
            }
            if let inlineValue {
                parsed.values[name] = inlineValue
            } else {
                guard index < arguments.count else { throw UsageError("--\(name) needs a value") }
                parsed.values[name] = arguments[index]
                index += 1
            }
        }
        for flag in flags where parsed.values[flag.name] == nil {
            if let variable = flag.environment, let value = environment[variable], !value.isEmpty {
                parsed.values[flag.name] = value
            } else if let value = flag.defaultValue {
                parsed.values[flag.name] = value
            }
        }
        return parsed
    }
}

/// A command line the program cannot act on: print the message and the usage, exit 2.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Flag {
    static func helpLines(_ flags: [Flag]) -> String {
        flags.map { flag in
            var line = "  --\(flag.name) \(flag.valueName)"
            line = line.padding(toLength: max(line.count, 28)) + flag.help
            if let env = flag.environment { line += " [env \(env)]" }
            if let value = flag.defaultValue { line += " (default \(value))" }
            return line
        }.joined(separator: "\n")
    }
}

extension String {
    func padding(toLength length: Int) -> String {
        count >= length ? self + " " : self + String(repeating: " ", count: length - count)
    }
}
