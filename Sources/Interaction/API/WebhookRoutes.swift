import HTTP
import Model
import Native
import Routing
import Storage

/// `POST /v1/tenants/{tenant}/webhooks/{source}`: provider webhooks, verified against the
/// tenant's secrets (any of a rotation's list) over the raw body before anything is stored; which
/// one signed goes to `WebhookSecretMetrics`. Every verified event is stored, one that no flow
/// serves too (it ends `ignored`). A replayed event id is acknowledged again without running twice. Calls (`twilio-voice`) are `VoiceWebhook`'s.
public struct WebhookRoutes: Sendable {
    let engine: Engine
    let access: TenantAccess
    let clock: @Sendable () -> Int64
    let voice: VoiceWebhook
    let secretUse: WebhookSecretMetrics

    public init(engine: Engine, access: TenantAccess, metrics: MetricsRegistry = MetricsRegistry(),
                clock: @escaping @Sendable () -> Int64 = { Clock.unixSeconds() }) {
        self.engine = engine
        self.access = access
        self.clock = clock
        secretUse = WebhookSecretMetrics(registry: metrics)
        voice = VoiceWebhook(engine: engine, access: access, metrics: VoiceMetrics(registry: metrics), secretUse: secretUse)
    }

    public func register(on routes: RouterBuilder) {
        routes.post("/v1/tenants/{tenant}/webhooks/{source}") { try await receive($0) }
    }

    static let emptyTwiML = HTTPResponse(status: .ok, headers: [("Content-Type", "text/xml; charset=utf-8")],
                                         body: Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>".utf8))

    func receive(_ request: HTTPRequest) async throws -> HTTPResponse {
        let tenant = request.parameters["tenant"] ?? ""
        let sourceName = request.parameters["source"] ?? ""
        let snapshot = try access.snapshotForWebhook(tenant: tenant)
        guard let source = WebhookSource(rawValue: sourceName) else {
            throw HTTPError(.notFound, code: "unknown_webhook_source",
                            message: "no webhook source \(sourceName); use twilio, twilio-voice, stripe, calcom or generic")
        }
        guard let settings = snapshot.config.channels.webhooks[source] else {
            throw TenantAccess.unauthorized  // not configured: same answer as a bad signature
        }
        // Calls are answered with TwiML whatever happens after the signature (VoiceWebhook says why).
        if source == .twilioVoice { return try await voice.receive(request, snapshot: snapshot, settings: settings) }
        try access.admit(snapshot)
        let normalised: WebhookNormaliser.Normalised
        do {
            normalised = try verifyAndNormalise(request, source: source, settings: settings, tenant: tenant)
        } catch let failure as SignatureFailure {
            throw HTTPError(.unauthorized, code: "invalid_signature", message: failure.message)
        }
        let now = Clock.unixMillis()
        let interaction = Interaction(id: InteractionID(unixMillis: now, random: Crypto.randomBytes(10)), tenant: tenant,
                                      channel: normalised.channel, receivedAt: now, from: normalised.from, text: normalised.text,
                                      event: normalised.event, idempotencyKey: normalised.deduplicationKey,
                                      requestID: request.requestID.isEmpty ? nil : request.requestID)
        guard engine.hasRoom(for: snapshot) else { throw InteractionRoutes.backlogFull(snapshot, engine: engine) }
        let result: AcceptResult
        do {
            result = try await engine.store.accept(interaction, requestHash: nil)
        } catch {
            throw InteractionRoutes.unavailable(error)
        }
        let id: InteractionID
        switch result {
        case .accepted(let record):
            engine.execute(record)
            id = record.id
        case .replay(let record):
            id = record.id  // seen before: acknowledged, not run again
        case .keyReused(let existing):
            id = existing.id
        }
        if source == .twilio { return Self.emptyTwiML }
        var answer: JSONObject = ["received": true, "id": .string(id.rawValue)]
        let eventName = "\(normalised.event.source).\(normalised.event.type.lowercased())"
        if snapshot.config.flow(forEvent: eventName) == nil {
            // Stored all the same (the engine ends it `ignored`), and acknowledged so the
            // provider stops retrying.
            answer["ignored"] = .string("no flow serves the event \(eventName)")
        }
        return HTTPResponse.json(.object(answer))
    }

    private func verifyAndNormalise(_ request: HTTPRequest, source: WebhookSource, settings: WebhookConfig,
                                    tenant: String) throws -> WebhookNormaliser.Normalised {
        let secrets = settings.secrets.all.map { Array($0.reveal().utf8) }
        func signed(_ index: Int) { secretUse.signed(tenant: tenant, source: source, index: index, of: settings.secrets) }
        let tolerance = max(1, settings.tolerance.components.seconds)
        switch source {
        case .twilio:
            guard request.mediaType == "application/x-www-form-urlencoded" else {
                throw NormalisationError.mediaType(expected: "application/x-www-form-urlencoded")
            }
            let form = try FormDecoding.decode(request.body)
            let url = settings.publicURL ?? "http://\(request.headers["Host"] ?? "localhost")\(request.target)"
            signed(try WebhookSignature.verifyTwilio(url: url, parameters: form, signature: request.headers["X-Twilio-Signature"],
                                                     authTokens: secrets))
            return try WebhookNormaliser.twilioSMS(form)
        case .stripe:
            signed(try WebhookSignature.verifyStripe(body: request.body, header: request.headers["Stripe-Signature"], secrets: secrets,
                                                     now: clock(), tolerance: tolerance))
            return try WebhookNormaliser.stripe(request.body)
        case .calcom:
            signed(try WebhookSignature.verifyCalcom(body: request.body, signature: request.headers["X-Cal-Signature-256"], secrets: secrets))
            return try WebhookNormaliser.calcom(request.body)
        case .generic:
            let id = request.headers["webhook-id"]
            signed(try WebhookSignature.verifyStandard(body: request.body, id: id, timestamp: request.headers["webhook-timestamp"],
                                                       signature: request.headers["webhook-signature"],
                                                       secrets: settings.secrets.all.map { $0.reveal() }, now: clock(), tolerance: tolerance))
            return try WebhookNormaliser.generic(request.body, webhookID: id ?? "")
        case .twilioVoice:
            // Never reached: receive(_:) hands calls to VoiceWebhook before this.
            throw HTTPError(.notFound, code: "unknown_webhook_source", message: "twilio-voice webhooks are answered by the voice channel")
        }
    }
}
