import Glibc
import HTTP
import Model
import Native

/// `switchboard serve`: wires the layers together and serves until SIGTERM or SIGINT.
enum ServeCommand {
    static let flags: [Flag] = [
        Flag(name: "host", environment: "SWITCHBOARD_HOST", valueName: "ADDR", help: "address to listen on", defaultValue: "127.0.0.1"),
        Flag(name: "port", environment: "SWITCHBOARD_PORT", valueName: "N", help: "TCP port", defaultValue: "8080"),
        Flag(name: "tenants", environment: "SWITCHBOARD_TENANTS", valueName: "DIR", help: "folder of tenant YAML files", defaultValue: "tenants"),
        Flag(name: "db", environment: "SWITCHBOARD_DB", valueName: "PATH|URL",
             help: "SQLite database file, or postgres://user:password@host:port/database for several nodes sharing one database",
             defaultValue: "var/switchboard.sqlite"),
        Flag(name: "node-id", environment: "SWITCHBOARD_NODE_ID", valueName: "NAME",
             help: "this node's name in leases on a shared PostgreSQL database (default: hostname-pid)", defaultValue: nil),
        Flag(name: "lease-seconds", environment: "SWITCHBOARD_LEASE_SECONDS", valueName: "N",
             help: "how long another node waits before resuming the work of a node that stopped (PostgreSQL)", defaultValue: "15"),
        Flag(name: "threads", environment: "SWITCHBOARD_THREADS", valueName: "N", help: "HTTP event loops (threads)", defaultValue: nil),
        Flag(name: "log-level", environment: "SWITCHBOARD_LOG_LEVEL", valueName: "LEVEL", help: "debug, info, warning or error", defaultValue: "info"),
        Flag(name: "access-log", environment: "SWITCHBOARD_ACCESS_LOG", valueName: "MODE",
             help: "one JSON line per request at info: on (sampled past 200 lines/s), all, sample=N (lines/s) or off",
             defaultValue: "on"),
        Flag(name: "retention-days", environment: "SWITCHBOARD_RETENTION_DAYS", valueName: "N",
             help: "delete finished interactions received more than N days ago (default: keep everything)", defaultValue: nil),
        Flag(name: "retention-export", environment: "SWITCHBOARD_RETENTION_EXPORT", valueName: "DIR",
             help: "before deleting, append each trace to DIR/<tenant>/<day>.jsonl", defaultValue: nil),
        Flag(name: "max-body", environment: "SWITCHBOARD_MAX_BODY", valueName: "BYTES", help: "largest request body accepted", defaultValue: "1048576"),
        Flag(name: "sandbox-url", environment: "SWITCHBOARD_SANDBOX_URL", valueName: "URL",
             help: "a sandbox run with `switchboard sandbox`: tenants' providers and webhooks are registered on it", defaultValue: nil),
        Flag(name: "classifier-url", environment: "SWITCHBOARD_CLASSIFIER_URL", valueName: "URL",
             help: "an OpenAI-compatible API (…/v1) for intent classification; its key comes from SWITCHBOARD_CLASSIFIER_KEY",
             defaultValue: nil),
        Flag(name: "classifier-model", environment: "SWITCHBOARD_CLASSIFIER_MODEL", valueName: "NAME",
             help: "the classifier's model", defaultValue: "gpt-4o-mini"),
        Flag(name: "public-url", environment: "SWITCHBOARD_PUBLIC_URL", valueName: "URL",
             help: "how providers and customers reach this server (payment pages, webhooks)", defaultValue: nil),
        Flag(name: "public", environment: "SWITCHBOARD_PUBLIC", valueName: "DIR",
             help: "the operator dashboard's files, served at /", defaultValue: "public"),
        Flag(name: "admin-token", environment: "SWITCHBOARD_ADMIN_TOKEN", valueName: "TOKEN", help: "bearer token for /v1/admin/*", defaultValue: nil),
    ] + EmbeddedSandbox.flags

    static var help: String {
        """
        Usage: switchboard serve [options]

        Serves the Switchboard HTTP API. Every option can also come from the environment variable
        shown; the command line wins.

        Options:
        \(Flag.helpLines(flags))
          --echo-route                also serve POST /echo, which validates a JSON body and returns it
                                      (for benchmarks side by side with peer servers)
        \(EmbeddedSandbox.helpLine)
          --no-watch                  do not watch the tenants folder; reload it on SIGHUP only
          --help                      this text

        """
    }

    static func run(_ arguments: [String], environment: [String: String]) throws -> Int32 {
        let parsed = try ParsedFlags.parse(arguments, flags: flags, switchNames: ["help", "echo-route", "sandbox", "no-watch"],
                                           environment: environment)
        if parsed.contains("help") {
            print(help, terminator: "")
            return 0
        }
        var options = try ServeOptions(parsed)
        options.environment = environment
        Logger.setMinimumLevel(options.logLevel)
        let sandbox = try EmbeddedSandbox.startIfRequested(parsed)
        var environment = environment
        if let url = options.sandboxURL { environment["SWITCHBOARD_SANDBOX_URL"] = url }
        let app = try Application(options: options, environment: environment, sandbox: sandbox?.server)
        try app.start()
        Signals.startListening { signal in
            switch signal {
            case .terminate, .interrupt: app.shutdown()
            case .hangup: app.reload()
            }
        }
        app.waitUntilStopped()
        sandbox?.shutdown()
        return 0
    }
}

/// Validated `serve` options.
struct ServeOptions: Sendable {
    var host: String
    var port: Int
    var tenantsDirectory: String
    /// A SQLite file, or a `postgres://` URL.
    var databasePath: String
    /// This node's name in leases (PostgreSQL); nil for hostname-pid.
    var nodeID: String?
    var leaseSeconds = 15.0
    var threads: Int?
    var logLevel: Logger.Level
    var accessLog = HTTPServer.AccessLog()
    var maxBodyBytes: Int
    /// Journal retention; nil keeps every interaction.
    var retention: JournalRetention.Settings?
    var echoRoute = false
    var publicURL: String?
    /// An external sandbox to register the tenants with.
    var sandboxURL: String?
    var registerWithSandbox: Bool { sandboxURL != nil }
    /// An OpenAI-compatible endpoint for `intent.classify` (keyword matching otherwise).
    var classifierURL: String?
    var classifierModel = "gpt-4o-mini"
    /// Bearer token for the admin endpoints; nil disables them.
    var adminToken: String?
    /// The operator dashboard's static files.
    var publicDirectory = "public"
    /// Where tenant files' `${VAR}` references resolve.
    var environment: [String: String] = [:]
    /// Apply tenant file changes as they happen (inotify); SIGHUP reloads either way.
    var watchTenants = true

    init(_ parsed: ParsedFlags) throws(UsageError) {
        host = parsed["host"] ?? "127.0.0.1"
        guard let port = try parsed.int("port"), (0...65535).contains(port) else {
            throw UsageError("--port must be between 0 and 65535")
        }
        self.port = port
        tenantsDirectory = parsed["tenants"] ?? "tenants"
        databasePath = parsed["db"] ?? "var/switchboard.sqlite"
        if databasePath.hasPrefix("postgres") && !PostgresURL.isPostgres(databasePath) {
            throw UsageError("--db takes a SQLite file or a URL that starts with postgres:// or postgresql://")
        }
        nodeID = parsed["node-id"]
        if let nodeID, nodeID.isEmpty || nodeID.utf8.count > 100 { throw UsageError("--node-id must be 1 to 100 characters") }
        guard let lease = Double(parsed["lease-seconds"] ?? "15"), lease >= 1, lease <= 3600 else {
            throw UsageError("--lease-seconds must be a number of seconds between 1 and 3600")
        }
        leaseSeconds = lease
        threads = try parsed.int("threads")
        if let threads, !(1...256).contains(threads) { throw UsageError("--threads must be between 1 and 256") }
        guard let level = Logger.Level(name: parsed["log-level"] ?? "info") else {
            throw UsageError("--log-level must be debug, info, warning or error")
        }
        logLevel = level
        guard let accessLog = HTTPServer.AccessLog(flag: parsed["access-log"] ?? "on") else {
            throw UsageError("--access-log must be on, off, all or sample=N with N lines a second from 1 to 1000000")
        }
        self.accessLog = accessLog
        guard let maxBody = try parsed.int("max-body"), maxBody > 0 else { throw UsageError("--max-body must be positive") }
        maxBodyBytes = maxBody
        if let days = parsed["retention-days"] {
            guard let keep = Int(days), (1...36_500).contains(keep) else {
                throw UsageError("--retention-days must be a whole number of days from 1 to 36500")
            }
            retention = JournalRetention.Settings(keepDays: keep, exportDirectory: parsed["retention-export"])
        } else if parsed["retention-export"] != nil {
            throw UsageError("--retention-export needs --retention-days: say how many days of journal to keep")
        }
        echoRoute = parsed.contains("echo-route")
        publicURL = parsed["public-url"]
        sandboxURL = parsed["sandbox-url"]
        classifierURL = parsed["classifier-url"]
        classifierModel = parsed["classifier-model"] ?? "gpt-4o-mini"
        adminToken = parsed["admin-token"]
        publicDirectory = parsed["public"] ?? "public"
        watchTenants = !parsed.contains("no-watch")
    }

    init(host: String = "127.0.0.1", port: Int = 0, tenantsDirectory: String = "tenants",
         databasePath: String = ":memory:", threads: Int? = 1) {
        self.host = host
        self.port = port
        self.tenantsDirectory = tenantsDirectory
        self.databasePath = databasePath
        self.threads = threads
        logLevel = .info
        maxBodyBytes = 1 << 20
    }
}
