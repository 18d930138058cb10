import Glibc
import Native

/// The `switchboard` command line: dispatches to a subcommand and returns the exit status.
public enum SwitchboardCommand {
    public static let version = "0.1.0"

    static let usage = """
        Switchboard \(version): an interaction-resolution server.

        Usage:
          switchboard serve [options]     serve the HTTP API (see `switchboard serve --help`)
          switchboard validate [PATH...]  check tenant files (see `switchboard validate --help`)
          switchboard sandbox [options]   serve the simulated providers alone (see `switchboard sandbox --help`)
          switchboard simulate FILE --text TEXT [options]
                                          dry-run one request through a tenant file, nothing sent
          switchboard what-if FILE [--since 7d] [--db PATH]
                                          replay recorded traffic through an edited tenant file
          switchboard trace ID --tenant T [--url URL | --db PATH]
                                          an interaction's trace: path, decisions, price, messages
          switchboard replay ID --tenant T [--url URL | --db PATH --tenants DIR]
                                          run a failed or dead interaction again
          switchboard keygen [--name NAME] [--role api|operator]
                                          a new API or operator key and its sha256: line for the YAML
          switchboard --help              this text
          switchboard --version           the version

        """

    /// Runs the command line `arguments` (without the program name) and returns the exit status.
    public static func main(_ arguments: [String], environment: [String: String]) -> Int32 {
        guard let command = arguments.first else {
            printError(usage)
            return 2
        }
        let rest = Array(arguments.dropFirst())
        do {
            switch command {
            case "--help", "-h", "help":
                print(usage, terminator: "")
                return 0
            case "--version", "-V", "version":
                print("switchboard \(version)")
                return 0
            case "serve":
                return try ServeCommand.run(rest, environment: environment)
            case "validate":
                return try ValidateCommand.run(rest, environment: environment)
            case "sandbox":
                return try SandboxCommand.run(rest, environment: environment)
            case "simulate":
                return try SimulateCommand.run(rest, environment: environment)
            case "what-if":
                return try WhatIfCommand.run(rest, environment: environment)
            case "keygen":
                return try KeygenCommand.run(rest, environment: environment)
            case "trace":
                return try TraceCommand.run(rest, environment: environment)
            case "replay":
                return try ReplayCommand.run(rest, environment: environment)
            default:
                throw UsageError("unknown command '\(command)'")
            }
        } catch let error as UsageError {
            printError("switchboard: \(error.description)\n\n\(usage)")
            return 2
        } catch {
            printError("switchboard: \(error)")
            return 1
        }
    }

    static func printError(_ text: String) {
        var line = text
        if !line.hasSuffix("\n") { line += "\n" }
        let bytes = Array(line.utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}
