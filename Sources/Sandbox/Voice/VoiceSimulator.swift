import HTTP
import Model
import Native
import Synchronization

/// Simulated Twilio Voice: plays phone calls against a registered `twilio-voice` webhook target
/// the way Twilio does — signed form webhooks, the TwiML answer run verb by verb (`<Say>` heard,
/// `<Gather>` listening, `<Dial>` ringing the operator, `<Redirect>`, `<Hangup>`), a status
/// callback when the call ends — driven turn by turn from the control endpoints, so demos and
/// tests hold a whole conversation:
///
/// ```
/// POST /sandbox/voice/calls               {"from":"+1…","to":"+1…"}        → the greeting, listening
/// POST /sandbox/voice/calls/{sid}/speech  {"speech":"…","confidence":0.9}  → the answer
/// POST /sandbox/voice/calls/{sid}/hangup  {"status":"completed"}           → the status callback
/// GET  /sandbox/voice/calls/{sid}                                          → every turn so far
/// ```
///
/// A webhook that fails, answers other than 2xx, takes more than 15 s, or answers invalid TwiML
/// ends the call as Twilio does ("an application error has occurred"), with Twilio's error code
/// in the turn (11200, 12100, 12200, 12300).
final class VoiceSimulator: Sendable {
    static let endStatuses: Set<String> = ["completed", "busy", "no-answer", "failed", "canceled"]
    static let applicationError = "We are sorry, an application error has occurred. Goodbye."
    /// Webhooks one control request may cause (a `<Redirect>` loop stops here).
    static let maxWebhooksPerRequest = 20

    private let context: SandboxContext
    private let calls = Mutex<[String: SimulatedCall]>([:])

    init(context: SandboxContext) {
        self.context = context
    }

    var count: Int { calls.withLock { $0.count } }

    func reset() { calls.withLock { $0.removeAll() } }

    var list: JSON { .array(calls.withLock { $0.values.sorted { $0.startedNanos < $1.startedNanos }.map(\.summary) }) }

    func transcript(_ sid: String) throws(SandboxError) -> JSON {
        guard let call = calls.withLock({ $0[sid] }) else { throw .notFound("no call \(sid)") }
        return call.transcript
    }

    /// A customer calls `to`: the incoming-call webhook, and its answer played.
    func start(from: String, to: String, account: String?, operatorAnswer: String) async throws(SandboxError) -> JSON {
        guard let target = context.webhooks.target(.twilioVoice, account: account, number: to) else {
            throw SandboxError(status: 409, message: "no twilio-voice webhook target registered for \(to)")
        }
        var call = SimulatedCall(sid: SandboxIDs.hex("CA"), account: target.account ?? account ?? "AC" + String(repeating: "0", count: 32),
                                 from: from, to: to, url: target.url, secret: target.secret, documentURL: target.url,
                                 dialStatus: operatorAnswer)
        call.isBusy = true
        calls.withLock { $0[call.sid] = call }
        context.outbox.append(Outbox.Entry(kind: "call", direction: "inbound", id: call.sid, at: SandboxTime.isoNow(), from: from,
                                           to: [to], subject: nil, body: "call started", account: call.account))
        var progress = CallProgress()
        await request(&call, url: target.url, method: "POST", extra: [], kind: "incoming", progress: &progress)
        return finish(call, progress)
    }

    /// The caller speaks (or stays silent, with no `speech`) while the call is listening.
    func speak(_ sid: String, speech: String?, confidence: Double) async throws(SandboxError) -> JSON {
        var call = try take(sid)
        guard let gather = call.listening else {
            release(call)
            throw SandboxError(status: 409, message: "call \(sid) is not listening (it is \(call.status))")
        }
        var progress = CallProgress()
        call.listening = nil
        let rest = call.rest
        call.rest = []
        if let speech, !speech.isEmpty {
            guard gather.input.contains("speech") else {
                call.listening = gather
                release(call)
                throw SandboxError(status: 409, message: "the <Gather> of call \(sid) listens for keypad digits only")
            }
            let extra = [("SpeechResult", speech), ("Confidence", String((confidence * 10_000).rounded() / 10_000))]
            await request(&call, url: gather.action ?? call.documentURL, method: gather.method, extra: extra, kind: "speech", progress: &progress)
        } else if gather.actionOnEmptyResult {
            await request(&call, url: gather.action ?? call.documentURL, method: gather.method, extra: [], kind: "silence", progress: &progress)
        } else {
            // Twilio moves on to the verbs after the <Gather>.
            await play(&call, verbs: rest, progress: &progress)
        }
        return finish(call, progress)
    }

    /// The caller hangs up (or the call ends with another status).
    func hangUp(_ sid: String, status: String) async throws(SandboxError) -> JSON {
        guard Self.endStatuses.contains(status) else {
            throw .badRequest("status must be one of " + Self.endStatuses.sorted().joined(separator: ", "))
        }
        var call = try take(sid)
        guard !call.isOver else {
            release(call)
            throw SandboxError(status: 409, message: "call \(sid) is already over (\(call.status))")
        }
        var progress = CallProgress()
        await end(&call, status: status, progress: &progress)
        return finish(call, progress)
    }

    // MARK: - Playing

    /// Posts one of the call's webhooks and plays its answer until the call listens or ends.
    private func request(_ call: inout SimulatedCall, url: String, method: String, extra: [(String, String)], kind: String,
                         progress: inout CallProgress) async {
        guard progress.turns.count < Self.maxWebhooksPerRequest else {
            await fail(&call, code: 11200, message: "more than \(Self.maxWebhooksPerRequest) webhooks for one turn (a <Redirect> loop?)",
                       turn: [:], progress: &progress)
            return
        }
        let parameters = call.parameters(status: kind == "incoming" ? "ringing" : "in-progress") + extra
        var target = url
        if method == "GET" { target += (url.contains("?") ? "&" : "?") + String(decoding: FormFields.encode(parameters), as: UTF8.self) }
        let signature = WebhookSignatures.twilio(authToken: call.secret, url: target, parameters: method == "POST" ? parameters : [])
        var headers: [(name: String, value: String)] = [("X-Twilio-Signature", signature), ("I-Twilio-Idempotency-Token", SandboxIDs.uuid())]
        if method == "POST" { headers.append(("Content-Type", "application/x-www-form-urlencoded")) }
        let delivery = await context.webhooks.deliver(to: target, method: method, body: method == "POST" ? FormFields.encode(parameters) : [],
                                                      headers: headers)
        let twiml = String(decoding: delivery.body, as: UTF8.self)
        var turn: JSONObject = ["turn": .int(Int64(call.turns.count + 1)), "kind": .string(kind), "url": .string(target),
                                "method": .string(method), "elapsed_ms": .double((delivery.elapsedMillis * 100).rounded() / 100)]
        turn["request"] = .object(JSONObject(parameters.map { (key: $0.0, value: JSON.string($0.1)) }))
        turn["http_status"] = delivery.status.map { .int(Int64($0)) } ?? .null
        turn["twiml"] = .string(twiml)
        guard let status = delivery.status, (200..<300).contains(status) else {
            let why = delivery.error ?? "HTTP \(delivery.status ?? 0)"
            await fail(&call, code: 11200, message: "HTTP retrieval failure: \(why)", turn: turn, progress: &progress)
            return
        }
        let mediaType = delivery.contentType?.split(separator: ";").first.map { $0.trimmingSpacesAndNewlines.lowercased() } ?? ""
        guard ["text/xml", "application/xml"].contains(mediaType) else {
            await fail(&call, code: 12300, message: "invalid Content-Type \"\(delivery.contentType ?? "")\" for TwiML", turn: turn, progress: &progress)
            return
        }
        let program: TwiMLProgram
        do {
            program = try TwiMLProgram.parse(delivery.body, documentURL: url)
        } catch {
            await fail(&call, code: error.code, message: error.message, turn: turn, progress: &progress)
            return
        }
        turn["said"] = .array(Self.heardFirst(program.verbs).map { .string($0) })
        call.status = "in-progress"
        call.documentURL = url
        call.turns.append(.object(turn))
        progress.turns.append(.object(turn))
        await play(&call, verbs: program.verbs, progress: &progress)
    }

    /// Runs verbs in order until one waits for the caller, hands the call to another document,
    /// or ends it; a document that runs out hangs up, as on Twilio.
    private func play(_ call: inout SimulatedCall, verbs: [TwiMLProgram.Verb], progress: inout CallProgress) async {
        var queue = verbs[...]
        while let verb = queue.popFirst() {
            switch verb {
            case .say(let text, _, _):
                progress.said.append(text)
            case .pause:
                continue
            case .gather(let gather):
                for case .say(let text, _, _) in gather.prompt { progress.said.append(text) }
                call.listening = gather
                call.rest = Array(queue)
                return
            case .dial(let dial):
                progress.dialed.append(dial.number)
                context.outbox.append(Outbox.Entry(kind: "call", direction: "outbound", id: SandboxIDs.hex("CA"), at: SandboxTime.isoNow(),
                                                   from: call.to, to: [dial.number], subject: nil,
                                                   body: "transferred call from \(call.from): \(call.dialStatus)", account: call.account))
                guard let action = dial.action else { continue }
                let seconds = call.dialStatus == "completed" ? "42" : "0"
                await request(&call, url: action, method: dial.method, extra: [("DialCallStatus", call.dialStatus),
                                                                               ("DialCallSid", SandboxIDs.hex("CA")),
                                                                               ("DialCallDuration", seconds)],
                              kind: "dial_ended", progress: &progress)
                return
            case .redirect(let url, let method):
                await request(&call, url: url, method: method, extra: [], kind: "redirect", progress: &progress)
                return
            case .hangup:
                await end(&call, status: "completed", progress: &progress)
                return
            }
        }
        await end(&call, status: "completed", progress: &progress)
    }

    /// Twilio's reaction to a webhook it cannot use: the error played to the caller, the call over.
    private func fail(_ call: inout SimulatedCall, code: Int, message: String, turn: JSONObject, progress: inout CallProgress) async {
        var turn = turn
        turn["error"] = ["code": .int(Int64(code)), "message": .string(message)]
        turn["said"] = [.string(Self.applicationError)]
        call.turns.append(.object(turn))
        progress.turns.append(.object(turn))
        progress.said.append(Self.applicationError)
        await end(&call, status: "completed", progress: &progress)
    }

    /// Ends the call and posts its status callback.
    private func end(_ call: inout SimulatedCall, status: String, progress: inout CallProgress) async {
        call.status = status
        call.listening = nil
        call.rest = []
        call.callbacks += 1
        let parameters = call.parameters() + [("CallDuration", String(call.durationSeconds)), ("Timestamp", SandboxTime.rfc2822(SandboxTime.unixSeconds())),
                                              ("CallbackSource", "call-progress-events"), ("SequenceNumber", String(call.callbacks - 1))]
        let delivery = await context.webhooks.deliver(to: call.url, body: FormFields.encode(parameters), headers: [
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("X-Twilio-Signature", WebhookSignatures.twilio(authToken: call.secret, url: call.url, parameters: parameters)),
        ])
        var callback: JSONObject = ["kind": "status_callback", "status": .string(status), "url": .string(call.url)]
        callback["http_status"] = delivery.status.map { .int(Int64($0)) } ?? .null
        if let error = delivery.error { callback["error"] = .string(error) }
        call.turns.append(.object(callback))
        progress.statusCallback = .object(callback)
    }

    /// What the caller hears from a document before it first waits or hands over.
    static func heardFirst(_ verbs: [TwiMLProgram.Verb]) -> [String] {
        var heard: [String] = []
        for verb in verbs {
            switch verb {
            case .say(let text, _, _): heard.append(text)
            case .gather(let gather):
                for case .say(let text, _, _) in gather.prompt { heard.append(text) }
                return heard
            case .pause: continue
            case .dial, .redirect, .hangup: return heard
            }
        }
        return heard
    }

    // MARK: - One request at a time per call

    private func take(_ sid: String) throws(SandboxError) -> SimulatedCall {
        let result = calls.withLock { calls -> Result<SimulatedCall, SandboxError> in
            guard var call = calls[sid] else { return .failure(.notFound("no call \(sid)")) }
            guard !call.isBusy else { return .failure(SandboxError(status: 409, message: "a turn of call \(sid) is in progress")) }
            call.isBusy = true
            calls[sid] = call
            return .success(call)
        }
        return try result.get()
    }

    private func release(_ call: SimulatedCall) {
        var call = call
        call.isBusy = false
        calls.withLock { $0[call.sid] = call }
    }

    private func finish(_ call: SimulatedCall, _ progress: CallProgress) -> JSON {
        release(call)
        return progress.json(call)
    }
}
