import Model
import Native
import Storage

/// A call's turns, written into the trace of the interaction the call's first request started
/// (its idempotency key is the CallSid): as annotations under `call`, so the execution running
/// meanwhile cannot overwrite them, and one turn's entry never replaces another's.
///
/// ```json
/// "call": {"sid": "CA…", "status": "completed", "duration_seconds": 48, "question_pending": false, "last_turn": 4,
///          "turns": {"001": {"turn": 1, "kind": "greeting", "said": ["Thanks for calling…"], "verbs": ["Gather", "Say"]}, …}}
/// ```
struct CallLog: Sendable {
    let store: any InteractionStore
    let tenant: String
    private let logger = Logger(label: "voice")

    init(store: any InteractionStore, tenant: String) {
        self.store = store
        self.tenant = tenant
    }

    /// One turn of the call as the trace shows it.
    struct Turn: Sendable {
        var turn: Int
        /// greeting, request, reply, not_understood, no_input, transfer, transfer_ended, farewell, ended
        var kind: String
        /// nil for turns rebuilt afterwards (those before the call's first request).
        var at: Int64? = Clock.unixMillis()
        var heard: String?
        var confidence: Double?
        var said: [String] = []
        var verbs: [String] = []
        var interaction: InteractionID?
        /// fast: the flow answered in time; async: the caller was told the outcome comes by text.
        var path: String?
        var waitedMillis: Int64?
        var note: String?

        var json: JSON {
            var object: JSONObject = ["turn": .int(Int64(turn)), "kind": .string(kind)]
            if let at { object["at"] = .string(Timestamp.iso8601(millis: at)) }
            if let heard { object["heard"] = .string(heard) }
            if let confidence { object["confidence"] = .double(confidence) }
            if !said.isEmpty { object["said"] = .array(said.map { .string($0) }) }
            if !verbs.isEmpty { object["verbs"] = .array(verbs.map { .string($0) }) }
            if let interaction { object["interaction"] = .string(interaction.rawValue) }
            if let path { object["path"] = .string(path) }
            if let waitedMillis { object["waited_ms"] = .int(waitedMillis) }
            if let note { object["note"] = .string(note) }
            return .object(object)
        }

        /// Sorts as text in turn order.
        var key: String {
            let digits = String(turn)
            return String(repeating: "0", count: max(0, 3 - digits.count)) + digits
        }
    }

    /// The interaction the call's turns are written on, found among the caller's recent ones.
    func root(callSID: String, caller: String) async -> InteractionRecord? {
        do {
            let page = try await store.interactions(tenant: tenant, status: nil, since: Clock.unixMillis() - 24 * 3_600_000,
                                                    customer: caller, limit: 50, cursor: nil)
            // Keyed by the CallSid; or, when the call's first words answered an open question (even
            // one asked by SMS), the interaction they answered, which the turns were written on.
            return page.records.first { $0.interaction.channel == .voice && $0.interaction.idempotencyKey == callSID }
                ?? page.records.first { $0.context["call"]?["sid"]?.stringValue == callSID }
        } catch {
            logger.warning("could not look up the call's interaction", ["tenant": .string(tenant), "call": .string(callSID),
                                                                       "error": .string(error.description)])
            return nil
        }
    }

    /// Writes `turns` (and `facts` about the call) into `root`'s trace. A failure is logged: the
    /// caller's answer does not wait on it.
    func record(_ turns: [Turn], on root: InteractionID, callSID: String, facts: JSONObject = [:]) async {
        var call: JSONObject = ["sid": .string(callSID)]
        for (key, value) in facts { call[key] = value }
        if !turns.isEmpty { call["turns"] = .object(JSONObject(turns.map { (key: $0.key, value: $0.json) })) }
        if let last = turns.map(\.turn).max() { call["last_turn"] = .int(Int64(last)) }
        do {
            try await store.annotate(tenant: tenant, id: root, with: ["call": .object(call)])
        } catch {
            logger.warning("could not record the call's turn in its trace", ["tenant": .string(tenant), "interaction": .string(root.rawValue),
                                                                            "error": .string(error.description)])
        }
    }
}
