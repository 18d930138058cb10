import Model
import Native
import Routing
import Storage
import HTTP

extension VoiceWebhook {
    /// The caller said something clear: a new request (the call's first: its interaction is keyed
    /// by the CallSid) or the answer to a question the flow asked. It is stored durably, run, and
    /// answered with what the flow said within `answer_within`; past that the caller is told the
    /// outcome comes by text, and the execution goes on without them.
    func run(_ turn: Turn, text: String, confidence: Double?) async -> HTTPResponse {
        let call = turn.call
        let store = engine.store
        guard engine.hasRoom(for: turn.snapshot) else {
            return unavailable(turn, reason: "the tenant's backlog is full (access.limits.max_backlog)")
        }
        // The engine delivers the words as a reply by the same lookup.
        let waiting: InteractionID?
        // Whether this call's turns are already in the waiting interaction's trace (a question
        // asked on this call) or not yet (the call's first words answer one asked by SMS).
        var tracedAlready = false
        do {
            waiting = try await store.conversation(tenant: turn.tenant, customer: call.from, now: Clock.unixMillis())
            if let waiting, let record = try await store.interaction(tenant: turn.tenant, id: waiting) {
                tracedAlready = record.context["call"]?["sid"]?.stringValue == call.callSID
            }
        } catch {
            return unavailable(turn, reason: "the journal is unavailable (\(error.description))")
        }
        let key = waiting == nil ? call.callSID : "\(call.callSID):\(call.turn)"
        var payload: JSONObject = ["call_sid": .string(call.callSID), "turn": .int(Int64(call.turn))]
        if let to = call.to { payload["to"] = .string(to) }
        if let confidence { payload["confidence"] = .double(confidence) }
        let now = Clock.unixMillis()
        let interaction = Interaction(id: InteractionID(unixMillis: now, random: Crypto.randomBytes(10)), tenant: turn.tenant,
                                      channel: .voice, receivedAt: now, from: .init(phone: call.from), text: text,
                                      event: .init(source: "twilio", type: "call.speech", id: key, payload: .object(payload)),
                                      idempotencyKey: key, requestID: turn.requestID)
        let record: InteractionRecord
        var isNew = false
        do {
            switch try await store.accept(interaction, requestHash: nil) {
            case .accepted(let stored):
                record = stored
                isNew = true
            case .replay(let stored):
                record = stored  // Twilio sent this turn again: answer from where it stands, never run twice
            case .keyReused(let stored):
                record = stored
            }
        } catch {
            return unavailable(turn, reason: "the journal is unavailable (\(error.description))")
        }

        let line = engine.liveCalls.open(tenant: turn.tenant, ids: [record.id] + (waiting.map { [$0] } ?? []))
        if isNew { engine.execute(record) }
        let budget = Double(turn.voice.answerWithin.components.seconds) + Double(turn.voice.answerWithin.components.attoseconds) / 1e18
        let spent = Double(Clock.monotonicNanos() - turn.receivedAt) / 1e9
        let stopped = await engine.outcome(tenant: turn.tenant, id: record.id, waitingUpTo: max(0.05, budget - spent))
        let handed = engine.liveCalls.close(line)

        // A reply is about the interaction it answered: that is where the call's trace is.
        let answered = stopped?.context["reply_to"]?.stringValue.flatMap(InteractionID.init) ?? waiting
        let root = answered ?? record.id
        var subject = stopped
        if let stopped, let answered, answered != stopped.id {
            subject = (try? await store.interaction(tenant: turn.tenant, id: answered)) ?? nil
        }

        var answer = turn.answer()
        var questionPending = false
        if let question = handed.question {
            answer.gather(action: turn.action(turn: call.turn + 1), prompt: handed.said + [question])
            questionPending = true
        } else {
            for text in handed.said { answer.say(text) }
            let finished = subject.map { $0.status == .completed || $0.status == .failed } ?? false
            answer.say(turn.phrase(finished ? .goodbye : .stillWorking))
            answer.hangup()
        }

        let waited = Int64((Clock.monotonicNanos() - turn.receivedAt) / 1_000_000)
        let path = stopped == nil ? "async" : "fast"
        var turns: [CallLog.Turn] = []
        if isNew, !tracedAlready { turns = earlierTurns(turn) }
        turns.append(CallLog.Turn(turn: call.turn, kind: waiting == nil ? "request" : "reply", heard: text, confidence: confidence,
                                  said: answer.spoken, verbs: answer.verbNames, interaction: record.id, path: path, waitedMillis: waited,
                                  note: stopped == nil ? "the flow was still running at the answer deadline: the outcome goes by text" : nil))
        var facts: JSONObject = ["question_pending": .bool(questionPending)]
        facts["question"] = handed.question.map { .string($0) } ?? .null
        if let to = call.to { facts["to"] = .string(to) }
        await turn.log(store).record(turns, on: root, callSID: call.callSID, facts: facts)
        metrics.turn(tenant: turn.tenant, kind: waiting == nil ? "request" : "reply")
        metrics.answered(tenant: turn.tenant, path: path, seconds: Double(Clock.monotonicNanos() - turn.receivedAt) / 1e9)
        return Self.response(answer)
    }

    /// The turns before the call's first request, rebuilt for its trace: the greeting, then each
    /// turn not understood or silent (what the caller said then is not kept).
    private func earlierTurns(_ turn: Turn) -> [CallLog.Turn] {
        var turns = [CallLog.Turn(turn: 1, kind: "greeting", at: nil, said: [turn.phrase(.greeting)], verbs: ["Gather"])]
        for (offset, earlier) in turn.call.earlier.enumerated() where offset + 2 < turn.call.turn {
            let unclear = earlier == .unclear
            turns.append(CallLog.Turn(turn: offset + 2, kind: unclear ? "not_understood" : "no_input", at: nil,
                                      said: [turn.phrase(unclear ? .notUnderstood : .noInput)], verbs: ["Gather"]))
        }
        return turns
    }
}
