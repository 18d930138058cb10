/// A decision the tenant wants an operator to make: it parks the interaction
/// `awaiting_approval` until approved, rejected or timed out.
public struct ApprovalPolicy: Sendable, Hashable {
    public var name: String
    /// What the operator is asked, in their words: `Refunds are checked by the front desk`.
    public var description: String
    /// Only amounts above this need approval (refunds); nil: every case does.
    public var above: Money?
    /// After this long without a decision, `approval.request` reports `timeout`.
    public var timeout: Duration
    /// The operator template sent with the request, if not the built-in one.
    public var template: String?
    /// Only cases where this holds need approval (with `above`, both must hold); nil: every case.
    public var condition: ConditionExpression?

    public init(name: String, description: String, above: Money? = nil, timeout: Duration, template: String? = nil) {
        self.name = name
        self.description = description
        self.above = above
        self.timeout = timeout
        self.template = template
    }

    /// Whether `amount` needs an operator under this policy.
    public func requiresApproval(for amount: Money) -> Bool {
        guard let above else { return true }
        return amount > above
    }

    /// Whether the case at hand needs an operator: its amount is above `above` (when set) and
    /// the policy's condition holds in `scope` (when set).
    public func requiresApproval(for amount: Money, in scope: some ConditionScope) -> Bool {
        requiresApproval(for: amount) && (condition?.holds(in: scope) ?? true)
    }
}
