import Model
import Native
import Sandbox

/// `serve --sandbox`: the simulated providers in the same process, on their own loopback port.
/// `Application` registers each tenant's webhooks with it and hands its URLs to the tenant loader
/// as `${SWITCHBOARD_SANDBOX_URL}` and `${SWITCHBOARD_SANDBOX_SMTP}`.
final class EmbeddedSandbox: Sendable {
    /// The ports the example tenants name in their `${SWITCHBOARD_SANDBOX_URL:-…}` defaults, so the
    /// README's URLs hold whether or not the variables reach the tenant files.
    static let defaultPort = 8089
    static let defaultSMTPPort = 2525

    static let flags: [Flag] = [
        Flag(name: "sandbox-port", environment: "SWITCHBOARD_SANDBOX_PORT", valueName: "N",
             help: "with --sandbox: the providers' port (0: a free one)", defaultValue: String(defaultPort)),
        Flag(name: "sandbox-smtp-port", environment: "SWITCHBOARD_SANDBOX_SMTP_PORT", valueName: "N",
             help: "with --sandbox: the SMTP port (0: a free one)", defaultValue: String(defaultSMTPPort)),
    ] + SandboxOptions.faultFlags

    static let helpLine = """
          --sandbox                   also run the simulated providers in-process (the embedded default);
                                      their URLs reach tenant files as ${SWITCHBOARD_SANDBOX_URL} and
                                      ${SWITCHBOARD_SANDBOX_SMTP}
        """

    let server: SandboxServer

    /// Starts the sandbox when `--sandbox` was given.
    static func startIfRequested(_ parsed: ParsedFlags) throws -> EmbeddedSandbox? {
        guard parsed.contains("sandbox") else { return nil }
        var configuration = SandboxServer.Configuration()
        configuration.host = "127.0.0.1"
        guard let port = try parsed.int("sandbox-port"), (0...65535).contains(port), let smtp = try parsed.int("sandbox-smtp-port"),
              (0...65535).contains(smtp) else {
            throw UsageError("--sandbox-port and --sandbox-smtp-port must be between 0 and 65535")
        }
        configuration.port = port
        configuration.smtpPort = smtp
        try SandboxOptions.apply(parsed, to: &configuration)
        let server = try SandboxServer(configuration: configuration)
        try server.start()
        return EmbeddedSandbox(server: server)
    }

    private init(server: SandboxServer) {
        self.server = server
    }

    func shutdown() {
        server.shutdown()
    }
}
