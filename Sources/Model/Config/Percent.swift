/// A percentage in basis points (hundredths of a percent): `12.5%` is 1250.
public struct Percent: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var basisPoints: Int

    public init(basisPoints: Int) { self.basisPoints = basisPoints }

    /// Parses `25%`, `12.5%` or `100%` (at most two decimals); nil for anything else.
    public static func parse(_ text: String) -> Percent? {
        guard text.hasSuffix("%") else { return nil }
        let number = text.dropLast()
        let parts = number.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let digits: (Substring) -> Bool = { !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }
        guard digits(parts[0]), parts[0].count <= 6, parts.count == 1 || (digits(parts[1]) && parts[1].count <= 2),
              let whole = Int(parts[0]) else { return nil }
        var points = whole * 100
        if parts.count > 1 {
            let fraction = parts[1].count == 1 ? parts[1] + "0" : parts[1]
            points += Int(fraction) ?? 0
        }
        return Percent(basisPoints: points)
    }

    public static let hundred = Percent(basisPoints: 10_000)

    /// `12.5%`
    public var description: String {
        let whole = basisPoints / 100
        let fraction = basisPoints % 100
        if fraction == 0 { return "\(whole)%" }
        return fraction % 10 == 0 ? "\(whole).\(fraction / 10)%" : "\(whole).\(fraction < 10 ? "0" : "")\(fraction)%"
    }

    public static func < (lhs: Percent, rhs: Percent) -> Bool { lhs.basisPoints < rhs.basisPoints }
}

/// How an amount that falls between two minor units is rounded.
public enum RoundingRule: String, Sendable, Hashable, CaseIterable {
    /// Halves away from zero (12.345 → 12.35): what customers expect on a bill.
    case halfUp = "half_up"
    /// Halves to the even neighbour (12.345 → 12.34, 12.355 → 12.36): banker's rounding.
    case halfEven = "half_even"
    /// Toward zero: never charge a fraction more.
    case down

    /// `numerator / denominator` rounded by this rule; `denominator` is positive.
    public func divide(_ numerator: Int64, by denominator: Int64) -> Int64 {
        let quotient = numerator / denominator
        let remainder = numerator % denominator
        guard remainder != 0 else { return quotient }
        let away: Int64 = numerator < 0 ? -1 : 1
        switch self {
        case .down:
            return quotient
        case .halfUp:
            return 2 * remainder.magnitude >= denominator.magnitude ? quotient + away : quotient
        case .halfEven:
            let twice = 2 * remainder.magnitude
            if twice > denominator.magnitude { return quotient + away }
            if twice < denominator.magnitude { return quotient }
            return quotient % 2 == 0 ? quotient : quotient + away
        }
    }
}
