import Model

/// One line of a tenant's audit log: who did what to what, when, and how it went. Operator
/// actions are recorded with the name of the key that made them (never the key); reloads with
/// what triggered them and the configuration version they brought in.
public struct AuditEntry: Sendable, Equatable {
    public enum Action: String, Sendable, CaseIterable {
        case approve, reject, replay
        /// A new configuration version went into service (or the tenant stopped being served).
        case reload
    }

    /// Position in the log, set by the store (0 before it is stored); newer entries are higher.
    public var sequence: Int64
    public var tenant: String
    /// Unix milliseconds.
    public var at: Int64
    /// The operator key's name, or for reloads what triggered them (`start-up`, `SIGHUP`,
    /// `file change`).
    public var actor: String
    public var action: Action
    /// The interaction acted on, or the configuration version brought in.
    public var target: String
    /// `done`, or why the action did not take effect.
    public var outcome: String
    /// What else is worth keeping: the operator's note and name, the previous version, the file.
    public var detail: JSONObject

    public init(sequence: Int64 = 0, tenant: String, at: Int64, actor: String, action: Action, target: String,
                outcome: String = "done", detail: JSONObject = [:]) {
        self.sequence = sequence
        self.tenant = tenant
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.outcome = outcome
        self.detail = detail
    }

    public var json: JSON {
        [
            "sequence": .int(sequence), "at": .string(Timestamp.iso8601(millis: at)), "actor": .string(actor),
            "action": .string(action.rawValue), "target": .string(target), "outcome": .string(outcome), "detail": .object(detail),
        ]
    }

    /// Maps a row selected with `columns`.
    static func stored(_ row: StoredColumns.Row) -> AuditEntry? {
        guard let sequence = row.int(0), let tenant = row.text(1), let at = row.int(2), let actor = row.text(3),
              let action = row.text(4).flatMap(Action.init(rawValue:)), let target = row.text(5), let outcome = row.text(6)
        else { return nil }
        let detail = row.text(7).flatMap { try? JSONParser.parse($0) }?.objectValue ?? [:]
        return AuditEntry(sequence: sequence, tenant: tenant, at: at, actor: actor, action: action, target: target,
                          outcome: outcome, detail: detail)
    }

    static let columns = "seq, tenant_id, at, actor, action, target, outcome, detail"
}
