import Model
import Native
import Routing
import Storage

/// `switchboard what-if TENANT_FILE [--since 7d] [--db PATH]`: replays the tenant's recorded
/// interactions (their inputs and the providers' recorded answers) through an edited file, with
/// no side effects, and reports which outcomes, prices and messages would change.
enum WhatIfCommand {
    static var help: String {
        """
        Usage: switchboard what-if TENANT_FILE [--since 7d] [--db PATH] [--limit N] [--all]

        Replays the interactions the tenant received recently through TENANT_FILE (an edit not yet
        saved to the server's folder) and reports which outcomes, paths, prices and messages would
        change. Providers answer from what each interaction's trace recorded; a call the recording
        lacks is answered by the sandbox in this process. Nothing is sent, booked or charged, and the
        database is only read.

        Options:
          --since WHEN                how far back: 24h, 7d, 30d or an ISO 8601 time (default 7d)
          --db PATH                   the server's SQLite database [env SWITCHBOARD_DB] (default var/switchboard.sqlite)
          --limit N                   at most the N newest interactions (default 2000)
          --all                       also list the interactions that would not change
          --help                      this text

        Exit status: 0 when the replay ran (whether or not anything would change), 1 when the file
        has problems, 2 for usage.

        """
    }

    static let flags: [Flag] = [
        Flag(name: "since", environment: nil, valueName: "WHEN", help: "", defaultValue: "7d"),
        Flag(name: "db", environment: "SWITCHBOARD_DB", valueName: "PATH", help: "", defaultValue: "var/switchboard.sqlite"),
        Flag(name: "limit", environment: nil, valueName: "N", help: "", defaultValue: "2000"),
    ]

    static func run(_ arguments: [String], environment: [String: String]) throws -> Int32 {
        ToolLogging.quiet(environment)
        let parsed = try ParsedFlags.parse(arguments, flags: flags, switchNames: ["help", "all"], allowPositional: true,
                                           environment: environment)
        if parsed.contains("help") {
            print(help, terminator: "")
            return 0
        }
        guard parsed.positional.count == 1, let file = parsed.positional.first else {
            throw UsageError("what-if takes one tenant file, such as tenants/acme-plumbing.yaml")
        }
        let now = Clock.unixMillis()
        let sinceText = parsed["since"] ?? "7d"
        guard let since = WindowText.millis(sinceText).map({ now - $0 }) ?? Timestamp.parseISO8601(sinceText) else {
            throw UsageError("--since expects a length such as 7d or 24h, or an ISO 8601 time; got '\(sinceText)'")
        }
        guard let limit = try parsed.int("limit"), limit > 0 else { throw UsageError("--limit must be a positive whole number") }
        let database = parsed["db"] ?? "var/switchboard.sqlite"
        guard FileSystem.kind(of: database) == .file else {
            throw UsageError("--db \(database): no database file there (give the server's --db)")
        }
        let dryRun: DryRun
        do {
            dryRun = try DryRun(tenantFile: file, environment: environment)
        } catch let error as ConfigError {
            SwitchboardCommand.printError(error.description)
            return 1
        }
        defer { dryRun.shutdown() }
        let source = try SQLiteStore(path: database, readers: 1)
        let result = try BlockingTask.run { try await WhatIfRun(dryRun: dryRun, source: source, since: since, limit: limit).run() }
        print(WhatIfReport(file: file, dryRun: dryRun, since: since, result: result, listAll: parsed.contains("all")).render(),
              terminator: "")
        return 0
    }
}

/// The text `what-if` prints.
struct WhatIfReport {
    var file: String
    var dryRun: DryRun
    var since: Int64
    var result: WhatIfRun.Result
    var listAll: Bool

    func render() -> String {
        let config = dryRun.config
        let zone = config.identity.timeZone
        let changes = result.changes
        var out = "What if \(file) (version \(dryRun.snapshot.version)) had served \(config.id)'s \(changes.count) interaction"
            + "\(changes.count == 1 ? "" : "s") received since \(SimulationRequest.describe(since, zone: zone))"
        out += result.versions.isEmpty ? "?\n" : " (recorded under version\(result.versions.count == 1 ? "" : "s") \(result.versions.joined(separator: ", ")))?\n"
        if result.truncated { out += "Only the newest ones were replayed (--limit).\n" }
        for note in dryRun.loaded.notes { out += "Note: \(note)\n" }
        for change in changes where listAll || !change.isUnchanged {
            out += "\n" + describe(change, zone: zone)
        }
        let outcomes = changes.filter(\.outcomeChanged).count
        let prices = changes.filter(\.priceChanged).count
        let messages = changes.filter(\.messagesChanged).count
        let unchanged = changes.filter(\.isUnchanged).count
        out += "\nSummary: \(changes.count) replayed: \(outcomes) with another outcome or path, \(prices) with another price, "
            + "\(messages) with other messages; \(unchanged) unchanged.\n"
        if changes.count > 0 && unchanged == changes.count { out += "This edit changes no outcome, price or message of that traffic.\n" }
        out += "Provider answers: \(result.replayedAnswers) replayed from the recordings"
        if result.unrecorded.isEmpty {
            out += "; every call had a recorded answer.\n"
        } else {
            let calls = result.unrecorded.reduce(0) { $0 + $1.1.count }
            out += "; \(calls) call\(calls == 1 ? " was" : "s were") not recorded and the sandbox answered "
                + "(their results may differ from what the provider would say):\n"
            for (id, keys) in result.unrecorded.prefix(20) { out += "  \(id): \(keys.joined(separator: ", "))\n" }
            if result.unrecorded.count > 20 { out += "  … and \(result.unrecorded.count - 20) more interactions\n" }
        }
        for skipped in result.skipped { out += "Skipped: \(skipped)\n" }
        out += "Nothing was sent, booked or charged; the database was only read.\n"
        return out
    }

    func describe(_ change: OutcomeChange, zone: TenantTimeZone) -> String {
        var out = "\(change.id)  \(SimulationRequest.describe(change.received, zone: zone))  \(change.request)\n"
        let before = change.before
        let after = change.after
        if change.isUnchanged {
            return out + "  unchanged: \(after.status), \(after.price), \(after.messages.count) message\(after.messages.count == 1 ? "" : "s")\n"
        }
        if before.status != after.status {
            out += "  outcome:  \(before.status)\(before.reason.map { " (\($0))" } ?? "") → \(after.status)\(after.reason.map { " (\($0))" } ?? "")\n"
        }
        if before.path != after.path {
            out += "  path was: \(before.path.joined(separator: " → "))\n"
            out += "  path now: \(after.path.joined(separator: " → "))\n"
        }
        if change.priceChanged { out += "  price:    \(before.price) → \(after.price)\n" }
        for line in change.messageDifferences { out += "  \(line)\n" }
        return out
    }
}
