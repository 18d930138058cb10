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
          --db PATH|URL               the server's database: SQLite file or postgres:// URL [env SWITCHBOARD_DB]
                                      (default var/switchboard.sqlite)
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
        guard PostgresURL.isPostgres(database) || FileSystem.kind(of: database) == .file else {
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
        let source = try Application.openJournal(database)
        let result = try BlockingTask.run {
            let result = try await WhatIfRun(dryRun: dryRun, source: source, since: since, limit: limit).run()
            try? await (source as? any LeasedStore)?.resign()
            return result
        }
        print(WhatIfReport(file: file, dryRun: dryRun, since: since, result: result, listAll: parsed.contains("all")).render(),
              terminator: "")
        return 0
    }
}
