import Model

extension RefundAgent {
    /// An occurrence of a series a cancellation is about, and the part of the deposit it paid.
    struct Share: Equatable {
        var uid: String
        var start: Int64
        var paid: Int64
    }

    /// The occurrences of the original's series this cancellation takes: the one Cal.com names,
    /// or, when its event carries the series' `recurringEvent` (every remaining occurrence was
    /// cancelled), every one from now on; those refunded before are left out. Each paid an equal
    /// share of the deposit (the first one the odd minor units). Nil when the original booked no
    /// series, or the event names a booking outside it.
    static func cancelledShares(of original: JSON, event: JSON?, paid: Int64, now: Int64) -> [Share]? {
        guard let bookings = original.value(at: "booking.recurrence.bookings")?.arrayValue, !bookings.isEmpty else { return nil }
        let count = Int64(bookings.count)
        let shares = bookings.enumerated().compactMap { offset, booking -> Share? in
            guard let uid = booking["id"]?.stringValue, let start = booking["start"]?.stringValue.flatMap(Timestamp.parseISO8601) else {
                return nil
            }
            return Share(uid: uid, start: start / 1000, paid: paid / count + (offset == 0 ? paid % count : 0))
        }
        let refunded = Set(original["refunds"]?.objectValue?.keys.map { $0 } ?? [])
        let uid = event?["uid"]?.stringValue
        guard let named = shares.first(where: { $0.uid == uid }) else { return nil }
        let allRemaining = event?["recurringEvent"].map { !$0.isNull } ?? false
        let taken = allRemaining ? shares.filter { $0.start >= now || $0.uid == named.uid } : [named]
        return taken.filter { !refunded.contains($0.uid) }
    }

    /// The refund for `shares` by the policy (in full without one), and the rule for each.
    static func refund(_ shares: [Share], policy: CancellationPolicy?, now: Int64, currency: Currency,
                       rounding: RoundingRule) -> (Money, String) {
        var total = Money.zero(currency)
        var rules: [String] = []
        for share in shares {
            let paid = Money(minorUnits: share.paid, currency: currency)
            let notice = Duration.seconds(max(0, share.start - now))
            let refund = policy?.refund(of: paid, notice: notice, rounding: rounding) ?? paid
            total = Money(minorUnits: total.minorUnits + refund.minorUnits, currency: currency)
            let rule = policy.map { ruleText($0, notice: notice) } ?? "no cancellation policy: full refund"
            rules.append("occurrence at \(Timestamp.iso8601(seconds: share.start)) (\(paid.formatted) of the deposit): \(rule)")
        }
        return (total, rules.joined(separator: "; "))
    }

    static func ruleText(_ policy: CancellationPolicy, notice: Duration) -> String {
        policy.rule(forNotice: notice).map { "\($0.refund) refund with at least \(describe($0.notice)) notice" }
            ?? "no refund with under \(describe(policy.refunds.last?.notice ?? .zero)) notice"
    }
}
