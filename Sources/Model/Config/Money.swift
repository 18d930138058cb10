/// An amount in a currency's minor units (cents), never a floating-point number.
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var minorUnits: Int64
    public var currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    public static func zero(_ currency: Currency) -> Money { Money(minorUnits: 0, currency: currency) }

    /// Why a decimal text is not an amount.
    public enum ParseProblem: Error, Sendable, Equatable {
        case notADecimal
        case tooManyDecimals(allowed: Int)
        case tooLarge
    }

    /// Parses decimal text such as `89`, `89.5` or `1450.00` exactly (no floating point).
    public static func parse(_ text: String, currency: Currency) -> Result<Money, ParseProblem> {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count > 1 ? parts[1] : ""
        let isDigits: (Substring) -> Bool = { $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }
        guard !whole.isEmpty, isDigits(whole), isDigits(fraction), parts.count == 1 || !fraction.isEmpty else {
            return .failure(.notADecimal)
        }
        let significant = fraction.reversed().drop { $0 == "0" }.count
        guard significant <= currency.minorUnitDigits else { return .failure(.tooManyDecimals(allowed: currency.minorUnitDigits)) }
        guard whole.count <= 12, let units = Int64(whole) else { return .failure(.tooLarge) }
        var minor = units * currency.minorUnitsPerUnit
        var scale = currency.minorUnitsPerUnit / 10
        for digit in fraction.utf8.prefix(currency.minorUnitDigits) {
            minor += Int64(digit - 48) * scale
            scale /= 10
        }
        return .success(Money(minorUnits: minor, currency: currency))
    }

    /// `1450.00`: the amount as decimal text, as tenant files and Stripe-free APIs write it.
    public var decimalText: String {
        let per = currency.minorUnitsPerUnit
        let magnitude = minorUnits.magnitude
        let whole = magnitude / UInt64(per)
        var text = (minorUnits < 0 ? "-" : "") + String(whole)
        if currency.minorUnitDigits > 0 {
            let fraction = String(magnitude % UInt64(per))
            text += "." + String(repeating: "0", count: currency.minorUnitDigits - fraction.count) + fraction
        }
        return text
    }

    /// `$1,450.00`, `-£12.50`, `CHF 80.00`: for messages to people.
    public var formatted: String {
        let text = decimalText
        let unsigned = text.hasPrefix("-") ? String(text.dropFirst()) : text
        let whole = unsigned.prefix { $0 != "." }
        var grouped = ""
        for (index, character) in whole.enumerated() {
            if index > 0 && (whole.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        let fraction = unsigned.dropFirst(whole.count)
        return (minorUnits < 0 ? "-" : "") + currency.symbol + grouped + fraction
    }

    public var description: String { "\(decimalText) \(currency.code)" }

    /// `percent` of this amount, rounded to a minor unit by `rounding`.
    public func applying(_ percent: Percent, rounding: RoundingRule) -> Money {
        Money(minorUnits: rounding.divide(minorUnits * Int64(percent.basisPoints), by: 10_000), currency: currency)
    }

    public static func + (lhs: Money, rhs: Money) -> Money {
        Money(minorUnits: lhs.minorUnits + rhs.minorUnits, currency: lhs.currency)
    }

    public static func - (lhs: Money, rhs: Money) -> Money {
        Money(minorUnits: lhs.minorUnits - rhs.minorUnits, currency: lhs.currency)
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.minorUnits < rhs.minorUnits }
}
