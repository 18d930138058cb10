import HTTP
import Model
import Native
import Synchronization

/// Simulated Stripe, Twilio, HubSpot, Cal.com and Slack on one loopback port (under `/stripe`,
/// `/twilio`, `/hubspot`, `/calcom`, `/slack`), a small SMTP server on another, and control
/// endpoints under `/sandbox`. Same wire formats as the real APIs, so adapters are pointed at it
/// by base URL alone.
///
/// ```swift
/// let sandbox = try SandboxServer(configuration: .init())
/// try sandbox.start()
/// sandbox.register(WebhookTarget(provider: .stripe, url: "http://127.0.0.1:8080/v1/tenants/acme/webhooks/stripe",
///                                secret: "whsec_…", account: "sk_test_acme"))
/// let stripeBase = sandbox.baseURL + "/stripe"
/// ```
public final class SandboxServer: Sendable {
    public let configuration: Configuration
    private let server: HTTPServer
    private let smtp: SMTPServer?
    private let context: SandboxContext
    private let control: ControlRoutes
    private let logger = Logger(label: "sandbox")

    /// - Parameters:
    ///   - metrics: the registry the sandbox's HTTP server reports to (a separate one by default,
    ///     so an embedded sandbox does not mix its requests into Switchboard's).
    /// - Throws: `SystemError` when the webhook client cannot start.
    public init(configuration: Configuration, metrics: MetricsRegistry = MetricsRegistry()) throws {
        self.configuration = configuration
        let context = SandboxContext(faults: FaultInjector(rules: configuration.faults),
                                     webhooks: try WebhookSender(targets: configuration.webhooks))
        self.context = context
        let stripe = StripeSimulator(context: context)
        let twilio = TwilioSimulator(context: context)
        let hubspot = HubSpotSimulator(context: context)
        let calcom = CalComSimulator(context: context, eventTypes: configuration.eventTypes)
        let smtp = configuration.smtpPort.map { SMTPServer(host: configuration.host, port: $0, outbox: context.outbox) }
        self.smtp = smtp
        let routes = RouterBuilder()
        stripe.register(on: routes)
        twilio.register(on: routes)
        hubspot.register(on: routes)
        calcom.register(on: routes)
        SlackSimulator(context: context).register(on: routes)
        ChatCompletionsSimulator(context: context).register(on: routes)
        control = ControlRoutes(context: context, stripe: stripe, twilio: twilio, hubspot: hubspot, calcom: calcom,
                                voice: VoiceSimulator(context: context),
                                smtpURL: { smtp.map { "smtp://\(Self.urlHost(configuration.host)):\($0.port)" } })
        control.register(on: routes)
        var http = HTTPServer.Configuration()
        http.host = configuration.host
        http.port = configuration.port
        http.loops = configuration.loops
        http.shutdownGraceSeconds = 2
        // The simulated providers are not the product: their requests stay out of the access log,
        // which would otherwise mix two servers' lines under one logger.
        http.accessLog.mode = .off
        server = HTTPServer(configuration: http, router: routes.build(), metrics: metrics)
    }

    /// Binds both ports and starts serving.
    ///
    /// - Throws: `SystemError` naming the address when a port cannot be bound.
    public func start() throws {
        try server.start()
        context.setBaseURL(configuration.publicBaseURL ?? "http://\(Self.urlHost(configuration.host)):\(server.port)")
        do {
            try smtp?.start()
        } catch {
            server.shutdown()
            throw error
        }
        logger.info("sandbox providers listening", ["url": .string(baseURL), "smtp": smtpURL.map { .string($0) } ?? .null])
    }

    /// `http://127.0.0.1:<port>`; provider base URLs append `/stripe`, `/twilio`, `/hubspot`, `/calcom`.
    public var baseURL: String { context.baseURL }

    /// `smtp://127.0.0.1:<port>`, or nil without an SMTP server.
    public var smtpURL: String? { smtp.map { "smtp://\(Self.urlHost(configuration.host)):\($0.port)" } }

    /// Values for the tenant loader's `${VAR}` resolution: `SWITCHBOARD_SANDBOX_URL`,
    /// `SWITCHBOARD_SANDBOX_SMTP`, and each provider's base URL.
    public var environment: [String: String] {
        var values = ["SWITCHBOARD_SANDBOX_URL": baseURL, "SWITCHBOARD_SANDBOX_STRIPE_URL": baseURL + "/stripe",
                      "SWITCHBOARD_SANDBOX_TWILIO_URL": baseURL + "/twilio", "SWITCHBOARD_SANDBOX_HUBSPOT_URL": baseURL + "/hubspot",
                      "SWITCHBOARD_SANDBOX_CALCOM_URL": baseURL + "/calcom",
                      "SWITCHBOARD_SANDBOX_SLACK_URL": baseURL + "/slack/services/T000/B000/sandbox"]
        if let smtpURL { values["SWITCHBOARD_SANDBOX_SMTP"] = smtpURL }
        return values
    }

    /// Registers (or replaces) where a provider's webhooks for an account go.
    public func register(_ target: WebhookTarget) { context.webhooks.register(target) }

    /// The webhook targets registered so far.
    public var webhookTargets: [WebhookTarget] { context.webhooks.registered }

    public func addFault(_ rule: FaultRule) { context.faults.add(rule) }

    public func clearFaults() { context.faults.clear() }

    /// Defines an event type's length, hours and calendar.
    public func define(_ eventType: SandboxEventType) { controlCalcom.define(eventType) }

    /// The state dump of `GET /sandbox/state`: counts, objects per idempotency key, duplicates,
    /// and requests received per route.
    public var state: JSON { control.state }

    /// Requests received per `METHOD /route/pattern`, faulted ones included.
    public var requestCounts: [String: Int] { context.faults.requestCounts }

    /// What `GET /sandbox/outbox` lists, newest first, as JSON objects.
    public func outbox(kind: String? = nil, to party: String? = nil) -> [JSON] {
        context.outbox.list(kind: kind, party: party, limit: 10_000).map(\.json)
    }

    /// Forgets every object, message and count (faults, webhook targets and event types stay).
    public func reset() { control.reset() }

    /// Stops both servers; in-flight requests get a short grace period.
    public func shutdown() {
        smtp?.shutdown()
        server.shutdown()
        context.webhooks.shutdown()
    }

    /// Blocks the calling thread until the HTTP server has stopped (never call it from a task).
    public func waitUntilStopped() { server.waitUntilStopped() }

    private var controlCalcom: CalComSimulator { control.calcom }

    static func urlHost(_ host: String) -> String {
        switch host {
        case "", "0.0.0.0": return "127.0.0.1"
        case "::": return "[::1]"
        default: return host.contains(":") ? "[\(host)]" : host
        }
    }
}
