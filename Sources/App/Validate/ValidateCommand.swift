import Glibc
import Model
import Native
import Routing

/// `switchboard validate [PATH...]`: checks tenant files the way the server loads them.
enum ValidateCommand {
    static var help: String {
        """
        Usage: switchboard validate [--quiet] [--stats] [--threads N] [PATH...]

        Checks tenant files (or every *.yaml in the folders given; default: tenants/) and prints
        each problem as file:line:column: setting: message. Exits 1 if any file has a problem,
        0 with one summary line per tenant when all are clean. ${VAR} references resolve against
        this process's environment.

        Options:
          --quiet                     no summary lines, only problems
          --stats                     also print load time and memory per tenant
          --threads N                 load on N threads (default: the available cores)
          --help                      this text

        """
    }

    static func run(_ arguments: [String], environment: [String: String]) throws -> Int32 {
        let threadsFlag = Flag(name: "threads", environment: nil, valueName: "N", help: "", defaultValue: nil)
        let parsed = try ParsedFlags.parse(arguments, flags: [threadsFlag], switchNames: ["help", "quiet", "stats"], allowPositional: true,
                                           environment: environment)
        if parsed.contains("help") {
            print(help, terminator: "")
            return 0
        }
        let (files, problems) = TenantDirectory.expand(parsed.positional.isEmpty ? ["tenants"] : parsed.positional)
        for problem in problems { SwitchboardCommand.printError("switchboard validate: \(problem)") }
        let rssBefore = ProcessMetrics.residentBytes()
        let started = Clock.monotonicNanos()
        let threads = try parsed.int("threads")
        if let threads, !(1...256).contains(threads) { throw UsageError("--threads must be between 1 and 256") }
        let result = TenantSet.load(files: files, loader: TenantConfigLoader(environment: environment), threads: threads)
        let elapsed = Double(Clock.monotonicNanos() - started) / 1e9
        let rssAfter = ProcessMetrics.residentBytes()
        var output = ""
        for error in result.errors { output += error.description + "\n" }
        if !parsed.contains("quiet") {
            for snapshot in result.snapshots { output += summary(snapshot) + "\n" }
        }
        if parsed.contains("stats") {
            let count = max(1, result.snapshots.count)
            let perTenant = Double(max(0, rssAfter - rssBefore)) / Double(count) / 1024
            output += "loaded \(result.snapshots.count) tenants on \(threads ?? NativeThread.availableCores) threads from \(files.count) files in \(format(elapsed, 3)) s "
                + "(\(format(elapsed * 1000 / Double(max(1, files.count)), 3)) ms per file); "
                + "resident memory +\(format(Double(rssAfter - rssBefore) / 1_048_576, 1)) MiB, \(format(perTenant, 1)) KiB per tenant\n"
        }
        print(output, terminator: "")
        withExtendedLifetime(result) {}
        return result.errors.isEmpty && problems.isEmpty && !files.isEmpty ? 0 : 1
    }

    static func summary(_ snapshot: TenantSnapshot) -> String {
        let config = snapshot.config
        let states = config.flows.values.reduce(0) { $0 + $1.states.count }
        return "\(snapshot.source): ok: \(config.id) (\(config.identity.name)), version \(snapshot.version): "
            + "\(config.services.count) services, \(config.flows.count) flows (\(states) states), "
            + "\(config.templates.count) templates, \(config.integrations.roles.count + config.integrations.systems.count) integrations"
    }

    private static func format(_ value: Double, _ decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        var text = String(rounded)
        if let dot = text.firstIndex(of: ".") {
            let have = text.distance(from: dot, to: text.endIndex) - 1
            if have < decimals { text += String(repeating: "0", count: decimals - have) }
        }
        return text
    }
}
