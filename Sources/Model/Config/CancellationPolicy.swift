/// What a customer gets back when a booking is cancelled, by how much notice they gave.
public struct CancellationPolicy: Sendable, Hashable {
    /// Longest notice first; the first rule whose notice the customer met applies.
    public var refunds: [RefundRule]
    /// Charged when the customer does not turn up.
    public var noShowFee: Money?
    /// An approval policy every refund under this policy goes through (`approvals:`).
    public var approvalPolicy: String?

    public init(refunds: [RefundRule], noShowFee: Money? = nil, approvalPolicy: String? = nil) {
        self.refunds = refunds.sorted { $0.notice > $1.notice }
        self.noShowFee = noShowFee
        self.approvalPolicy = approvalPolicy
    }

    /// The rule for a cancellation `notice` before the start, or nil when no rule applies (no
    /// refund is due).
    public func rule(forNotice notice: Duration) -> RefundRule? {
        refunds.first { notice >= $0.notice }
    }

    /// The refund of `paid` for `notice`; zero when no rule applies.
    public func refund(of paid: Money, notice: Duration, rounding: RoundingRule) -> Money {
        guard let rule = rule(forNotice: notice) else { return .zero(paid.currency) }
        return paid.applying(rule.refund, rounding: rounding)
    }
}

/// With at least `notice` before the start, `refund` of what was paid comes back.
public struct RefundRule: Sendable, Hashable {
    public var notice: Duration
    public var refund: Percent

    public init(notice: Duration, refund: Percent) {
        self.notice = notice
        self.refund = refund
    }
}
