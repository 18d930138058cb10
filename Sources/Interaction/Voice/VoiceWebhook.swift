import HTTP
import Model
import Native
import Routing
import Storage

/// `POST /v1/tenants/{tenant}/webhooks/twilio-voice`: Twilio Voice's webhooks for one call, each
/// answered with TwiML — the greeting, the flow's answer to what the caller said (or "we'll text
/// you"), its questions as further `<Gather>` turns, a transfer to the operator — and the call's
/// status callbacks. `docs/voice.md` describes the conversation.
///
/// Twilio treats any answer but a 200 with TwiML as a failure: the caller hears Twilio's
/// "application error" (or the number's fallback URL's TwiML). So once the signature is verified,
/// every answer is a 200 with TwiML, including the tenant's rate limit and an unavailable
/// journal, which are said to the caller ("we can't take your request right now") with nothing
/// stored. A request that fails the signature, or is not Twilio's form, gets the JSON error and
/// status the other webhooks get.
struct VoiceWebhook: Sendable {
    let engine: Engine
    let access: TenantAccess
    let metrics: VoiceMetrics
    let secretUse: WebhookSecretMetrics
    let logger = Logger(label: "voice")

    /// What every handler of one request needs.
    struct Turn: Sendable {
        let tenant: String
        let snapshot: TenantSnapshot
        let voice: VoiceChannel
        let call: VoiceRequest
        /// The public URL of this endpoint (as configured: the action URLs extend it).
        let endpoint: String
        /// Monotonic nanoseconds when the request arrived.
        let receivedAt: UInt64
        /// The webhook request's `X-Request-Id`, for the interaction a turn creates.
        var requestID: String?

        func log(_ store: any InteractionStore) -> CallLog { CallLog(store: store, tenant: tenant) }

        func answer() -> TwiML { TwiML(voice: voice.voice, language: voice.language) }

        /// The action URL for the call's next turn.
        func action(turn: Int, unclear: Int = 0, silent: Int = 0, earlier: [VoiceRequest.Earlier] = [], dial: Bool = false) -> String {
            endpoint + (endpoint.contains("?") ? "&" : "?")
                + VoiceRequest.query(turn: turn, unclear: unclear, silent: silent, earlier: earlier, dial: dial)
        }

        /// A phrase as the tenant words it, for this caller.
        func phrase(_ phrase: VoicePhrase) -> String {
            guard let name = voice.templates[phrase] else { return phrase.defaultText }
            let config = snapshot.config
            var tenantFacts: JSONObject = ["id": .string(config.id.rawValue), "name": .string(config.identity.name)]
            tenantFacts["phone"] = config.identity.phone.map { .string($0) } ?? .null
            let context: JSON = ["tenant": .object(tenantFacts), "from": ["phone": .string(call.from)]]
            return config.renderSpoken(template: name, context: context) ?? phrase.defaultText
        }
    }

    func receive(_ request: HTTPRequest, snapshot: TenantSnapshot, settings: WebhookConfig) async throws -> HTTPResponse {
        let tenant = snapshot.id.rawValue
        guard let voice = snapshot.config.channels.voice else { throw TenantAccess.unauthorized }
        guard request.mediaType == "application/x-www-form-urlencoded" else {
            throw NormalisationError.mediaType(expected: "application/x-www-form-urlencoded")
        }
        let form: [(String, String)]
        do {
            form = try FormDecoding.decode(request.body)
        } catch {
            throw NormalisationError.malformed(error.description)
        }
        let endpoint = Self.endpoint(settings.publicURL, request: request)
        let signedURL = Self.withoutQuery(endpoint) + (request.query.map { "?\($0)" } ?? "")
        do {
            let index = try WebhookSignature.verifyTwilio(url: signedURL, parameters: form, signature: request.headers["X-Twilio-Signature"],
                                                          authTokens: settings.secrets.all.map { Array($0.reveal().utf8) })
            secretUse.signed(tenant: tenant, source: .twilioVoice, index: index, of: settings.secrets)
        } catch {
            throw HTTPError(.unauthorized, code: "invalid_signature", message: error.message)
        }
        let call = try VoiceRequest(form: form, query: request.queryItems)
        let turn = Turn(tenant: tenant, snapshot: snapshot, voice: voice, call: call, endpoint: endpoint,
                        receivedAt: request.receivedAt == 0 ? Clock.monotonicNanos() : request.receivedAt,
                        requestID: request.requestID.isEmpty ? nil : request.requestID)
        do {
            try access.admit(snapshot)
        } catch {
            return unavailable(turn, reason: "over the tenant's rate limit")
        }
        let action = VoiceDialogue.decide(call, voice: voice)
        switch action {
        case .greet:
            metrics.turn(tenant: tenant, kind: "greeting")
            var answer = turn.answer()
            answer.gather(action: turn.action(turn: call.turn + 1), prompt: [turn.phrase(.greeting)])
            return Self.response(answer)
        case .noCallerID:
            metrics.turn(tenant: tenant, kind: "no_caller_id")
            logger.info("call without a caller number", ["tenant": .string(tenant), "call": .string(call.callSID)])
            // Nothing can be texted to a withheld number: a person takes the call, if there is one.
            return Self.response(transferOrGoodbye(turn, first: voice.operatorNumber == nil ? .unavailable : nil))
        case .askAgain(let phrase):
            return await askAgain(turn, phrase: phrase)
        case .transfer(let reason):
            return await transfer(turn, reason: reason)
        case .farewell(let phrase, let reason):
            var answer = turn.answer()
            answer.say(turn.phrase(phrase))
            answer.hangup()
            await recordOnRoot(turn, CallLog.Turn(turn: call.turn, kind: "farewell", heard: call.heard, confidence: call.confidence,
                                                  said: answer.spoken, verbs: answer.verbNames, note: reason))
            metrics.turn(tenant: tenant, kind: "farewell")
            return Self.response(answer)
        case .run(let text, let confidence):
            return await run(turn, text: text, confidence: confidence)
        case .dialEnded(let status):
            var answer = turn.answer()
            if status != "completed" { answer.say(turn.phrase(.unavailable)) }
            answer.hangup()
            await recordOnRoot(turn, CallLog.Turn(turn: call.turn, kind: "transfer_ended", said: answer.spoken, verbs: answer.verbNames,
                                                  note: "the operator's line ended: \(status)"))
            metrics.turn(tenant: tenant, kind: "transfer_ended")
            return Self.response(answer)
        case .ended(let status, let duration):
            await ended(turn, status: status, durationSeconds: duration)
            return Self.response(turn.answer())
        }
    }

    /// Not understood, or nothing heard: say so and listen again.
    private func askAgain(_ turn: Turn, phrase: VoicePhrase) async -> HTTPResponse {
        let call = turn.call
        let root = await turn.log(engine.store).root(callSID: call.callSID, caller: call.from)
        let unclear = phrase == .notUnderstood ? call.unclear + 1 : 0
        let silent = phrase == .noInput ? call.silent + 1 : 0
        // Before the call's first request there is no trace yet: the turn travels in the URL.
        let earlier = root == nil ? call.earlier + [phrase == .notUnderstood ? .unclear : .silent] : []
        // While the flow waits for an answer, the question is asked again as it was.
        let question = root?.context["call"]?["question_pending"]?.boolValue == true ? root?.context["call"]?["question"]?.stringValue : nil
        var answer = turn.answer()
        answer.gather(action: turn.action(turn: call.turn + 1, unclear: unclear, silent: silent, earlier: earlier),
                      prompt: [question ?? turn.phrase(phrase)])
        let kind = phrase == .notUnderstood ? "not_understood" : "no_input"
        if let root {
            await turn.log(engine.store).record([CallLog.Turn(turn: call.turn, kind: kind, heard: call.heard, confidence: call.confidence,
                                                              said: answer.spoken, verbs: answer.verbNames)],
                                                on: root.id, callSID: call.callSID)
        }
        metrics.turn(tenant: turn.tenant, kind: kind)
        return Self.response(answer)
    }

    /// Connects the caller to the operator.
    private func transfer(_ turn: Turn, reason: String) async -> HTTPResponse {
        let answer = transferOrGoodbye(turn, first: nil)
        await recordOnRoot(turn, CallLog.Turn(turn: turn.call.turn, kind: "transfer", heard: turn.call.heard, confidence: turn.call.confidence,
                                              said: answer.spoken, verbs: answer.verbNames,
                                              note: "\(reason); dialled the operator"))
        metrics.turn(tenant: turn.tenant, kind: "transfer")
        return Self.response(answer)
    }

    /// `first`, then the operator if the tenant has one, else goodbye.
    private func transferOrGoodbye(_ turn: Turn, first: VoicePhrase?) -> TwiML {
        var answer = turn.answer()
        if let first { answer.say(turn.phrase(first)) }
        if let number = turn.voice.operatorNumber {
            answer.say(turn.phrase(.transfer))
            answer.dial(number, action: turn.action(turn: turn.call.turn + 1, dial: true))
        } else {
            answer.hangup()
        }
        return answer
    }

    /// Nothing could be taken (rate limit, journal unavailable): said to the caller, nothing stored.
    func unavailable(_ turn: Turn, reason: String) -> HTTPResponse {
        logger.warning("a call's turn could not be taken", ["tenant": .string(turn.tenant), "call": .string(turn.call.callSID),
                                                            "reason": .string(reason)])
        metrics.turn(tenant: turn.tenant, kind: "unavailable")
        if case .ended = turn.call.kind { return Self.response(turn.answer()) }
        return Self.response(transferOrGoodbye(turn, first: .unavailable))
    }

    /// Records a turn on the call's first request, when the call has one.
    func recordOnRoot(_ turn: Turn, _ entry: CallLog.Turn) async {
        let log = turn.log(engine.store)
        guard let root = await log.root(callSID: turn.call.callSID, caller: turn.call.from) else { return }
        await log.record([entry], on: root.id, callSID: turn.call.callSID)
    }

    /// The call ended: recorded, and a question asked on the call that is still open is closed
    /// (it times out now: the caller can no longer answer it on this call).
    private func ended(_ turn: Turn, status: String, durationSeconds: Int?) async {
        let call = turn.call
        metrics.turn(tenant: turn.tenant, kind: "ended")
        let log = turn.log(engine.store)
        guard let root = await log.root(callSID: call.callSID, caller: call.from) else {
            logger.info("call ended before any request", ["tenant": .string(turn.tenant), "call": .string(call.callSID),
                                                          "status": .string(status)])
            return
        }
        var note = "the call ended: \(status)" + (durationSeconds.map { " after \($0) s" } ?? "")
        if root.context["call"]?["question_pending"]?.boolValue == true, root.status == .awaitingReply {
            do {
                try await engine.store.closeConversation(tenant: turn.tenant, customer: call.from, id: root.id)
                if try await engine.expireWait(tenant: turn.tenant, id: root.id) {
                    note += "; the question asked on the call was left unanswered, so it timed out"
                } else {
                    note += "; the question asked on the call was left unanswered (it times out when due)"
                }
            } catch {
                logger.warning("could not close the call's conversation", ["tenant": .string(turn.tenant), "error": .string(error.description)])
            }
        }
        var facts: JSONObject = ["status": .string(status), "question_pending": false, "question": .null,
                                 "ended_at": .string(Timestamp.iso8601(millis: Clock.unixMillis()))]
        if let durationSeconds { facts["duration_seconds"] = .int(Int64(durationSeconds)) }
        // Status callbacks carry no turn: theirs follows the last one recorded.
        let turnNumber = Int(root.context["call"]?["last_turn"]?.intValue ?? 0) + 1
        await log.record([CallLog.Turn(turn: turnNumber, kind: "ended", note: note)], on: root.id, callSID: call.callSID, facts: facts)
    }

    static func response(_ answer: TwiML) -> HTTPResponse {
        HTTPResponse(status: .ok, headers: [("Content-Type", "text/xml; charset=utf-8")], body: Array(answer.body.utf8))
    }

    /// The URL Twilio posts to, as configured (its signature covers it), else as requested.
    static func endpoint(_ publicURL: String?, request: HTTPRequest) -> String {
        if let publicURL { return publicURL }
        return "http://\(request.headers["Host"] ?? "localhost")\(request.path)"
    }

    static func withoutQuery(_ url: String) -> String {
        guard let mark = url.firstIndex(of: "?") else { return url }
        return String(url[..<mark])
    }
}

extension VoiceRequest {
    /// What the caller said on this turn, if anything.
    var heard: String? {
        if case .speech(let text, _) = kind { return text }
        return nil
    }

    var confidence: Double? {
        if case .speech(_, let confidence) = kind { return confidence }
        return nil
    }
}
