import Model
import Storage

/// The API's view of an interaction: where it stands and, with its steps, the whole trace —
/// each step's decision and reasons, context changes, messages and provider calls (already
/// redacted by the integration layer) — and what it cost.
public enum TraceView {
    /// The summary used in lists and acceptance answers.
    public static func summary(_ record: InteractionRecord) -> JSONObject {
        var object: JSONObject = [
            "id": .string(record.id.rawValue), "tenant": .string(record.tenant), "status": .string(record.status.rawValue),
            "channel": .string(record.interaction.channel.rawValue),
            "created_at": .string(Timestamp.iso8601(millis: record.createdAt)),
            "updated_at": .string(Timestamp.iso8601(millis: record.updatedAt)),
        ]
        object["flow"] = record.flow.map { .string($0) } ?? .null
        object["state"] = record.state.map { .string($0) } ?? .null
        object["reason"] = record.reason.map { .string($0) } ?? .null
        object["customer"] = record.interaction.from.customerKey.map { .string($0) } ?? .null
        if let text = record.interaction.text { object["text"] = .string(text) }
        if let event = record.interaction.event { object["event"] = .string("\(event.source).\(event.type)") }
        if let wake = record.wakeAt { object["wake_at"] = .string(Timestamp.iso8601(millis: wake)) }
        return object
    }

    /// The summary as `role` may see it: an `api` key gets neither the customer's contact nor
    /// their words back, only where its request stands.
    public static func summary(_ record: InteractionRecord, for role: AccessRole) -> JSONObject {
        var object = summary(record)
        if role == .api {
            _ = object.removeValue("customer")
            _ = object.removeValue("text")
        }
        return object
    }

    /// The full trace.
    public static func trace(_ record: InteractionRecord, steps: [StepRecord]) -> JSON {
        var object = summary(record)
        object["interaction"] = record.interaction.json
        object["config_version"] = record.configVersion.map { .string($0) } ?? .null
        object["attempts"] = .int(Int64(record.attempts))
        var context = record.context
        let engine = context.removeValue(EngineStateKey)
        object["context"] = .object(context)
        object["flags"] = engine?["flags"] ?? .array([])
        var calls = 0
        var retries = 0
        var providerMillis: Int64 = 0
        object["steps"] = .array(steps.map { step in
            var entry: JSONObject = [
                "sequence": .int(Int64(step.sequence)), "state": .string(step.state), "agent": .string(step.agent),
                "outcome": step.outcome.map { .string($0.rawValue) } ?? "waiting",
                "started_at": .string(Timestamp.iso8601(millis: step.startedAt)),
                "duration_ms": .double((Double(step.durationMicros) / 1000 * 100).rounded() / 100),
            ]
            for (key, value) in step.detail.objectValue ?? [:] { entry[key] = value }
            for call in step.detail["calls"]?.arrayValue ?? [] {
                calls += 1
                retries += max(0, Int(call["attempts"]?.intValue ?? 1) - 1)
                providerMillis += call["duration_ms"]?.intValue ?? 0
            }
            return .object(entry)
        })
        object["cost"] = [
            "steps": .int(Int64(steps.count)), "provider_calls": .int(Int64(calls)), "retries": .int(Int64(retries)),
            "wall_time_ms": .int(max(0, record.updatedAt - record.interaction.receivedAt)), "provider_time_ms": .int(providerMillis),
        ]
        return .object(object)
    }

    static let EngineStateKey = "_engine"
}

extension JSONObject {
    /// Removes and returns the member named `key`.
    mutating func removeValue(_ key: String) -> JSON? {
        guard let index = members.firstIndex(where: { $0.key == key }) else { return nil }
        return members.remove(at: index).value
    }
}
