import Model
import Native

/// One phone call the sandbox plays: who calls whom, where Twilio's webhooks for it go, where
/// the TwiML it was given has got to, and everything said so far.
struct SimulatedCall: Sendable {
    var sid: String
    var account: String
    var from: String
    var to: String
    /// The tenant's voice webhook; status callbacks go there too.
    var url: String
    var secret: String
    /// Twilio's `CallStatus`: ringing, in-progress, then completed, busy, no-answer, failed or canceled.
    var status = "ringing"
    let startedNanos = Clock.monotonicNanos()
    /// The `<Gather>` waiting for the caller, and the verbs after it in its document.
    var listening: TwiMLProgram.Gather?
    var rest: [TwiMLProgram.Verb] = []
    var documentURL: String
    /// What the simulated operator does when the call is transferred: completed, busy, no-answer, failed.
    var dialStatus: String
    /// Every webhook of the call with its answer.
    var turns: [JSON] = []
    var callbacks = 0
    /// True while a control request plays a turn of this call.
    var isBusy = false

    var isOver: Bool { VoiceSimulator.endStatuses.contains(status) }

    var durationSeconds: Int { Int((Clock.monotonicNanos() - startedNanos) / 1_000_000_000) }

    /// The parameters Twilio sends with every request about this call.
    func parameters(status: String? = nil) -> [(String, String)] {
        [("AccountSid", account), ("ApiVersion", "2010-04-01"), ("CallSid", sid), ("CallStatus", status ?? self.status),
         ("Called", to), ("Caller", from), ("Direction", "inbound"), ("From", from), ("To", to)]
    }

    var summary: JSON {
        var object: JSONObject = ["call_sid": .string(sid), "from": .string(from), "to": .string(to), "status": .string(status),
                                  "listening": .bool(listening != nil), "turns": .int(Int64(turns.count))]
        if let listening { object["gather_action"] = listening.action.map { .string($0) } ?? .string(documentURL) }
        return .object(object)
    }

    var transcript: JSON {
        var object = summary.objectValue ?? [:]
        object["turns"] = .array(turns)
        object["duration_seconds"] = .int(Int64(durationSeconds))
        return .object(object)
    }
}

/// What one control request did to a call: the webhooks it sent, what the caller heard, and
/// where the call now stands.
struct CallProgress: Sendable {
    var turns: [JSON] = []
    var said: [String] = []
    var dialed: [String] = []
    var statusCallback: JSON?

    func json(_ call: SimulatedCall) -> JSON {
        var object = call.summary.objectValue ?? [:]
        object["turns"] = .array(turns)
        object["said"] = .array(said.map { .string($0) })
        if !dialed.isEmpty { object["dialed"] = .array(dialed.map { .string($0) }) }
        if let statusCallback { object["status_callback"] = statusCallback }
        return .object(object)
    }
}
