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

    /// The position in `allCases`. Hashing and comparing use it rather than the raw string, so a
    /// transition lookup costs no string hashing.
    public var ordinal: Int {
        switch self {
        case .ok: return 0
        case .notFound: return 1
        case .conflict: return 2
        case .ineligible: return 3
        case .needsApproval: return 4
        case .declined: return 5
        case .error: return 6
        case .timeout: return 7
        }
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(ordinal) }
    public static func == (lhs: Outcome, rhs: Outcome) -> Bool { lhs.ordinal == rhs.ordinal }
    public static func < (lhs: Outcome, rhs: Outcome) -> Bool { lhs.ordinal < rhs.ordinal }
}
