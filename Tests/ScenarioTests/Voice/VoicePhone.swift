import Integration
import Model
import Testing

/// The caller's side of a call, through the sandbox's call player, checking every TwiML answer
/// Switchboard gives on the way.
struct VoicePhone {
    let harness: Harness
    let tenant: String
    let number: String
    let from: String
    let check: TwiMLCheck
    private(set) var sid = ""

    static func acme(_ harness: Harness, from: String) -> VoicePhone {
        VoicePhone(harness: harness, tenant: "acme-plumbing", number: "+15125550142", from: from,
                   check: TwiMLCheck(voice: "Polly.Joanna", language: "en-US",
                                     endpoint: harness.base + "/v1/tenants/acme-plumbing/webhooks/twilio-voice"))
    }

    /// Rings the tenant; returns the player's account of the turn.
    mutating func dial(operator answer: String = "completed") async throws -> JSON {
        let turn = try await player("POST", "/sandbox/voice/calls", ["from": .string(from), "to": .string(number), "operator": .string(answer)])
        sid = turn["call_sid"]?.stringValue ?? ""
        return turn
    }

    /// Says `speech` (nil: stays silent) on the call.
    func say(_ speech: String?, confidence: Double = 0.93) async throws -> JSON {
        var body: JSONObject = ["confidence": .double(confidence)]
        if let speech { body["speech"] = .string(speech) }
        return try await player("POST", "/sandbox/voice/calls/\(sid)/speech", .object(body))
    }

    func hangUp() async throws -> JSON {
        try await player("POST", "/sandbox/voice/calls/\(sid)/hangup", ["status": "completed"])
    }

    private func player(_ method: String, _ path: String, _ body: JSON) async throws -> JSON {
        let response = try await harness.sandboxCall(method, path, json: body)
        #expect(response.isSuccess, "\(path): \(response.bodyText)")
        let json = response.json ?? .null
        for turn in json["turns"]?.arrayValue ?? [] where turn["kind"] != "status_callback" {
            #expect(turn["error"] == nil, "Twilio would refuse this answer: \(turn)")
            #expect(turn["http_status"] == 200, "\(turn)")
            let twiml = turn["twiml"]?.stringValue ?? ""
            #expect(check.problems(twiml) == [], "\(twiml)")
        }
        if let callback = json["status_callback"] { #expect(callback["http_status"] == 200, "\(callback)") }
        return json
    }

    /// What the caller heard in that turn.
    static func said(_ turn: JSON) -> [String] { turn["said"]?.arrayValue?.compactMap(\.stringValue) ?? [] }

    /// The interactions this caller started, newest first.
    func interactions() async throws -> [JSON] {
        let list = try await harness.call("GET", "/v1/tenants/\(tenant)/interactions?customer=\(from.replacingFirst("+", with: "%2B"))",
                                          key: Harness.acmeOperatorKey)
        return list.json?["data"]?.arrayValue ?? []
    }

    /// The trace of the interaction the call's first request started.
    func callTrace() async throws -> JSON {
        for summary in try await interactions() {
            let id = summary["id"]?.stringValue ?? ""
            let trace = try await harness.trace(tenant, id, key: Harness.acmeOperatorKey)
            if trace.value(at: "interaction.idempotency_key")?.stringValue == sid { return trace }
        }
        return .null
    }

    /// The call's turns as its trace records them, in order.
    static func turns(_ trace: JSON) -> [JSON] {
        (trace.value(at: "context.call.turns")?.objectValue ?? [:]).sorted { $0.key < $1.key }.map(\.value)
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = firstRange(of: target) else { return self }
        return String(self[..<range.lowerBound]) + replacement + String(self[range.upperBound...])
    }
}
