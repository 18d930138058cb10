import Agents
import Model

/// What the compensations of a failing interaction undid, as the context keeps it under
/// `compensation` for the failure path's messages: `undone` (newest step first, as they ran),
/// `count`, `refunded` (minor units), `summary` ("the booking was cancelled and your $37.25
/// deposit was refunded", in the order the steps were done), and `failed` / `problems` for
/// compensations that did not succeed.
struct CompensationSummary {
    private var undone: [JSON] = []
    private var problems: [String] = []

    init(_ existing: JSON?) {
        undone = existing?["undone"]?.arrayValue ?? []
        problems = (existing?["problem_list"]?.arrayValue ?? []).compactMap(\.stringValue)
    }

    mutating func add(_ result: StepResult, state: String, agent: String) {
        if result.outcome == .error {
            problems.append(result.decision.summary)
        } else if let undo = result.undone {
            var entry = undo.json
            entry["state"] = .string(state)
            entry["agent"] = .string(agent)
            undone.append(entry)
        }
    }

    var json: JSON {
        let refunded = undone.reduce(Int64(0)) { $0 + ($1["refunded"]?.intValue ?? 0) }
        let clauses = undone.reversed().compactMap { $0["text"]?.stringValue }
        return ["undone": .array(undone), "count": .int(Int64(undone.count)), "refunded": .int(refunded),
                "summary": .string(Self.sentence(clauses)), "failed": .int(Int64(problems.count)),
                "problems": .string(problems.joined(separator: "; ")), "problem_list": .array(problems.map { .string($0) })]
    }

    /// "a", "a and b", "a, b and c".
    static func sentence(_ clauses: [String]) -> String {
        guard let last = clauses.last else { return "" }
        return clauses.count == 1 ? last : clauses.dropLast().joined(separator: ", ") + " and " + last
    }
}
