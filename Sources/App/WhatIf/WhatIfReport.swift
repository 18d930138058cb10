import Model
import Routing

/// The text `what-if` prints.
struct WhatIfReport {
    var file: String
    var dryRun: DryRun
    var since: Int64
    var result: WhatIfRun.Result
    var listAll: Bool

    func render() -> String {
        let config = dryRun.config
        let zone = config.identity.timeZone
        let changes = result.changes
        var out = "What if \(file) (version \(dryRun.snapshot.version)) had served \(config.id)'s \(changes.count) interaction"
            + "\(changes.count == 1 ? "" : "s") received since \(SimulationRequest.describe(since, zone: zone))"
        out += result.versions.isEmpty ? "?\n" : " (recorded under version\(result.versions.count == 1 ? "" : "s") \(result.versions.joined(separator: ", ")))?\n"
        if result.truncated { out += "Only the newest ones were replayed (--limit).\n" }
        for note in dryRun.loaded.notes { out += "Note: \(note)\n" }
        for change in changes where listAll || !change.isUnchanged {
            out += "\n" + describe(change, zone: zone)
        }
        let outcomes = changes.filter(\.outcomeChanged).count
        let prices = changes.filter(\.priceChanged).count
        let messages = changes.filter(\.messagesChanged).count
        let unchanged = changes.filter(\.isUnchanged).count
        out += "\nSummary: \(changes.count) replayed: \(outcomes) with another outcome or path, \(prices) with another price, "
            + "\(messages) with other messages; \(unchanged) unchanged.\n"
        if changes.count > 0 && unchanged == changes.count { out += "This edit changes no outcome, price or message of that traffic.\n" }
        out += "Provider answers: \(result.replayedAnswers) replayed from the recordings"
        if result.unrecorded.isEmpty {
            out += "; every call had a recorded answer.\n"
        } else {
            let calls = result.unrecorded.reduce(0) { $0 + $1.1.count }
            out += "; \(calls) call\(calls == 1 ? " was" : "s were") not recorded and the sandbox answered "
                + "(their results may differ from what the provider would say):\n"
            for (id, keys) in result.unrecorded.prefix(20) { out += "  \(id): \(keys.joined(separator: ", "))\n" }
            if result.unrecorded.count > 20 { out += "  … and \(result.unrecorded.count - 20) more interactions\n" }
        }
        for skipped in result.skipped { out += "Skipped: \(skipped)\n" }
        out += "Nothing was sent, booked or charged; the database was only read.\n"
        return out
    }

    func describe(_ change: OutcomeChange, zone: TenantTimeZone) -> String {
        var out = "\(change.id)  \(SimulationRequest.describe(change.received, zone: zone))  \(change.request)\n"
        let before = change.before
        let after = change.after
        if change.isUnchanged {
            return out + "  unchanged: \(after.status), \(after.price), \(after.messages.count) message\(after.messages.count == 1 ? "" : "s")\n"
        }
        if before.status != after.status {
            out += "  outcome:  \(before.status)\(before.reason.map { " (\($0))" } ?? "") → \(after.status)\(after.reason.map { " (\($0))" } ?? "")\n"
        }
        if before.path != after.path {
            out += "  path was: \(before.path.joined(separator: " → "))\n"
            out += "  path now: \(after.path.joined(separator: " → "))\n"
        }
        if change.priceChanged { out += "  price:    \(before.price) → \(after.price)\n" }
        for line in change.messageDifferences { out += "  \(line)\n" }
        return out
    }
}
