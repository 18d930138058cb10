import Model

/// How both stores lay out and read back their rows: the same columns, the same JSON text, so
/// that a record reads the same whichever database holds it.
enum StoredColumns {
    /// The columns selected for an interaction, in the order `interaction(_:)` reads them.
    static let interaction =
        "id, status, request_hash, flow, state, config_version, input, context, reason, attempts, wake_at, created_at, updated_at, annotations"

    /// The columns selected for a step, in the order `step(_:)` reads them.
    static let step = "sequence, state, agent, outcome, started_at, duration_us, detail"

    /// What the stores write in `steps.outcome` for a step that is waiting.
    static let parkedOutcome = "parked"

    /// One row's cells by column position: text, or nil for NULL.
    struct Row {
        let text: (Int) -> String?

        func int(_ column: Int) -> Int64? { text(column).flatMap { Int64($0) } }
    }

    /// Maps a row selected with `interaction`: its context with the annotations merged in.
    static func interaction(_ row: Row) throws(StoreError) -> InteractionRecord {
        guard let input = row.text(6), let inputJSON = try? JSONParser.parse(input),
              let interaction = Interaction(json: inputJSON),
              let status = row.text(1).flatMap(InteractionStatus.init(rawValue:)),
              var context = try? JSONParser.parse(row.text(7) ?? "{}").objectValue,
              let annotations = try? JSONParser.parse(row.text(13) ?? "{}").objectValue
        else { throw StoreError(.corrupt, "interaction \(row.text(0) ?? "?") has an unreadable row") }
        context.merge(annotations)
        return InteractionRecord(
            interaction: interaction, status: status, flow: row.text(3), state: row.text(4), configVersion: row.text(5),
            context: context, reason: row.text(8), attempts: Int(row.int(9) ?? 0), wakeAt: row.int(10),
            createdAt: row.int(11) ?? 0, updatedAt: row.int(12) ?? 0, requestHash: row.text(2))
    }

    /// Maps a row selected with `step`.
    static func step(_ row: Row) -> StepRecord {
        StepRecord(sequence: Int(row.int(0) ?? 0), state: row.text(1) ?? "", agent: row.text(2) ?? "",
                   outcome: row.text(3).flatMap(Outcome.init(rawValue:)), startedAt: row.int(4) ?? 0,
                   durationMicros: row.int(5) ?? 0, detail: (try? JSONParser.parse(row.text(6) ?? "null")) ?? .null)
    }

    /// Maps `interaction_id, provider, operation, state, result` of the effect `key`.
    static func effect(key: String, _ row: Row) -> EffectRecord? {
        guard let id = row.text(0).flatMap(InteractionID.init), let state = row.text(3).flatMap(EffectRecord.State.init)
        else { return nil }
        return EffectRecord(key: key, interactionID: id, provider: row.text(1) ?? "", operation: row.text(2) ?? "",
                            state: state, result: (try? JSONParser.parse(row.text(4) ?? "null")) ?? .null)
    }
}
