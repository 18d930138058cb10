import Glibc
import Model
import Native
import Sandbox

/// `switchboard sandbox`: the simulated providers on their own, for demos and benchmarks.
enum SandboxCommand {
    static let flags: [Flag] = [
        Flag(name: "host", environment: "SWITCHBOARD_SANDBOX_HOST", valueName: "ADDR", help: "address to listen on", defaultValue: "127.0.0.1"),
        Flag(name: "port", environment: "SWITCHBOARD_SANDBOX_PORT", valueName: "N", help: "HTTP port of the providers", defaultValue: "8089"),
        Flag(name: "smtp-port", environment: "SWITCHBOARD_SANDBOX_SMTP_PORT", valueName: "N", help: "SMTP port (0: none)", defaultValue: "2525"),
        Flag(name: "threads", environment: nil, valueName: "N", help: "HTTP event loops", defaultValue: "1"),
        Flag(name: "log-level", environment: "SWITCHBOARD_LOG_LEVEL", valueName: "LEVEL", help: "debug, info, warning or error", defaultValue: "info"),
    ] + SandboxOptions.faultFlags

    static var help: String {
        """
        Usage: switchboard sandbox [options]

        Serves simulated Stripe, Twilio, HubSpot, Cal.com and Slack under /stripe, /twilio, /hubspot,
        /calcom and /slack, in the providers' wire formats, plus an SMTP server. GET /sandbox lists the
        base URLs; /sandbox/outbox shows what was sent; POST /sandbox/faults and /sandbox/webhooks
        change faults and webhook targets at run time.

        Options:
        \(Flag.helpLines(flags))
          --help                      this text

        """
    }

    static func run(_ arguments: [String], environment: [String: String]) throws -> Int32 {
        let parsed = try ParsedFlags.parse(arguments, flags: flags, switchNames: ["help"], environment: environment)
        if parsed.contains("help") {
            print(help, terminator: "")
            return 0
        }
        guard let level = Logger.Level(name: parsed["log-level"] ?? "info") else {
            throw UsageError("--log-level must be debug, info, warning or error")
        }
        Logger.setMinimumLevel(level)
        var configuration = SandboxServer.Configuration()
        configuration.host = parsed["host"] ?? "127.0.0.1"
        guard let port = try parsed.int("port"), (0...65535).contains(port), let smtpPort = try parsed.int("smtp-port"),
              (0...65535).contains(smtpPort) else {
            throw UsageError("--port and --smtp-port must be between 0 and 65535")
        }
        configuration.port = port
        configuration.smtpPort = smtpPort == 0 ? nil : smtpPort
        configuration.loops = max(1, try parsed.int("threads") ?? 1)
        try SandboxOptions.apply(parsed, to: &configuration)
        let sandbox = try SandboxServer(configuration: configuration)
        try sandbox.start()
        print("sandbox providers at \(sandbox.baseURL) (SMTP \(sandbox.smtpURL ?? "off"))")
        Signals.startListening { signal in
            if signal != .hangup { sandbox.shutdown() }
        }
        sandbox.waitUntilStopped()
        return 0
    }
}
