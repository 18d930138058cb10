/// What a step reports when it finishes; a flow state's transitions are keyed by it.
public enum Outcome: String, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    case ok
    case notFound = "not_found"
    case conflict
    case ineligible
    case needsApproval = "needs_approval"
    case declined
    case error
    case timeout

    /// The spelling used in tenant files and traces: `not_found`.
    public var description: String { rawValue }

    public static func < (lhs: Outcome, rhs: Outcome) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
