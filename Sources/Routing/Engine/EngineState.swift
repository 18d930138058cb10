import Model

/// The engine's own bookkeeping, kept in the context under `_engine` so it is journaled with
/// every step: the next step's sequence number, how often each state was entered (fresh effect
/// keys when a flow loops back), the compensations owed, and what the outcome-complete check
/// needs to know.
struct EngineState: Sendable, Equatable {
    var sequence = 0
    var visits: [String: Int] = [:]
    /// States whose compensations run if the flow ends `failed`, oldest first.
    var compensations: [String] = []
    var confirmedCustomer = false
    var notifiedOperator = false
    var updatedRecord = false
    /// Effects left in doubt by a crash, for the operator.
    var flags: [String] = []

    static let key = "_engine"

    init() {}

    init(_ context: JSONObject) {
        guard let object = context[Self.key]?.objectValue else { return }
        sequence = Int(object["sequence"]?.intValue ?? 0)
        for (state, count) in object["visits"]?.objectValue ?? [:] { visits[state] = Int(count.intValue ?? 0) }
        compensations = (object["compensations"]?.arrayValue ?? []).compactMap(\.stringValue)
        confirmedCustomer = object["confirmed_customer"]?.boolValue ?? false
        notifiedOperator = object["notified_operator"]?.boolValue ?? false
        updatedRecord = object["updated_record"]?.boolValue ?? false
        flags = (object["flags"]?.arrayValue ?? []).compactMap(\.stringValue)
    }

    var json: JSON {
        [
            "sequence": .int(Int64(sequence)),
            "visits": .object(JSONObject(visits.sorted { $0.key < $1.key }.map { (key: $0.key, value: JSON.int(Int64($0.value))) })),
            "compensations": .array(compensations.map { .string($0) }),
            "confirmed_customer": .bool(confirmedCustomer), "notified_operator": .bool(notifiedOperator),
            "updated_record": .bool(updatedRecord), "flags": .array(flags.map { .string($0) }),
        ]
    }

    /// What a `completed` ending still lacks, in words; empty when nothing.
    var missingForCompletion: [String] {
        var missing: [String] = []
        if !confirmedCustomer { missing.append("the customer was not confirmed") }
        if !notifiedOperator { missing.append("the operator was not notified") }
        if !updatedRecord { missing.append("the CRM was not updated") }
        return missing
    }
}
