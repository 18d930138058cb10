import Model
import Native
import Sandbox
import Synchronization

/// `serve --sandbox`: the simulated providers in the same process, on their own loopback port,
/// with their base URLs handed to the tenant loader as `${SWITCHBOARD_SANDBOX_URL}` and
/// `${SWITCHBOARD_SANDBOX_SMTP}` (and one variable per provider).
final class EmbeddedSandbox: Sendable {
    static let flags: [Flag] = [
        Flag(name: "sandbox-port", environment: "SWITCHBOARD_SANDBOX_PORT", valueName: "N",
             help: "with --sandbox: the providers' port (0: a free one)", defaultValue: "0"),
        Flag(name: "sandbox-smtp-port", environment: "SWITCHBOARD_SANDBOX_SMTP_PORT", valueName: "N",
             help: "with --sandbox: the SMTP port (0: a free one)", defaultValue: "0"),
    ] + SandboxOptions.faultFlags

    static let helpLine = """
          --sandbox                   also run the simulated providers in-process (the embedded default);
                                      their URLs reach tenant files as ${SWITCHBOARD_SANDBOX_URL} and
                                      ${SWITCHBOARD_SANDBOX_SMTP}
        """

    let server: SandboxServer
    private let host: String
    private let port: Mutex<Int>

    /// Where Switchboard itself listens, for the webhook URLs the sandbox calls back.
    var switchboardBaseURL: String { "http://\(host):\(port.withLock { $0 })" }

    /// Starts the sandbox when `--sandbox` was given.
    static func startIfRequested(_ parsed: ParsedFlags, options: ServeOptions) throws -> EmbeddedSandbox? {
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
        let host = options.host == "0.0.0.0" || options.host.isEmpty ? "127.0.0.1" : options.host
        return EmbeddedSandbox(server: server, host: host, port: options.port)
    }

    private init(server: SandboxServer, host: String, port: Int) {
        self.server = server
        self.host = host.contains(":") ? "[\(host)]" : host
        self.port = Mutex(port)
    }

    /// Records the port Switchboard actually bound (it differs from the options with `--port 0`).
    func switchboardStarted(port: Int) {
        self.port.withLock { $0 = port }
    }

    /// `base` with the sandbox's variables added (the process environment wins on conflicts, so an
    /// operator can still point a tenant elsewhere).
    func environment(merging base: [String: String]) -> [String: String] {
        base.merging(server.environment) { existing, _ in existing }
    }

    /// Registers where the sandbox sends a tenant's webhooks: Switchboard's own
    /// `/v1/tenants/{tenant}/webhooks/{source}` endpoints, signed with the tenant's secrets.
    /// The tenant loader calls this for each tenant whose integrations point at the sandbox.
    func registerTenant(_ tenant: String, stripe: (secretKey: String, webhookSecret: String)? = nil,
                        calcom: (apiKey: String, webhookSecret: String)? = nil,
                        twilio: (accountSID: String, authToken: String, number: String)? = nil) {
        let base = "\(switchboardBaseURL)/v1/tenants/\(tenant)/webhooks"
        if let stripe {
            server.register(WebhookTarget(provider: .stripe, url: "\(base)/stripe", secret: stripe.webhookSecret, account: stripe.secretKey))
        }
        if let calcom {
            server.register(WebhookTarget(provider: .calcom, url: "\(base)/calcom", secret: calcom.webhookSecret, account: calcom.apiKey))
        }
        if let twilio {
            server.register(WebhookTarget(provider: .twilio, url: "\(base)/twilio", secret: twilio.authToken, account: twilio.accountSID,
                                          number: twilio.number))
        }
    }

    func shutdown() {
        server.shutdown()
    }
}
