/// An ISO 4217 currency with its minor-unit digits and the symbol messages use.
public struct Currency: Sendable, Hashable, CustomStringConvertible {
    public let code: String
    /// Digits after the decimal point: 2 for USD (cents), 0 for JPY.
    public let minorUnitDigits: Int
    /// Written before the amount: `$`, `£`, `CHF `.
    public let symbol: String

    public var description: String { code }

    /// 10^minorUnitDigits: minor units in one major unit.
    public var minorUnitsPerUnit: Int64 {
        var value: Int64 = 1
        for _ in 0..<minorUnitDigits { value *= 10 }
        return value
    }

    /// The currency with this code, if Switchboard knows it.
    public init?(code: String) {
        guard let known = Currency.known.first(where: { $0.code == code }) else { return nil }
        self = known
    }

    private init(_ code: String, _ digits: Int, _ symbol: String) {
        self.code = code
        minorUnitDigits = digits
        self.symbol = symbol
    }

    public static let usd = Currency("USD", 2, "$")
    public static let eur = Currency("EUR", 2, "€")
    public static let gbp = Currency("GBP", 2, "£")

    /// The currencies tenant files may name.
    public static let known: [Currency] = [
        usd, eur, gbp, Currency("CAD", 2, "CA$"), Currency("AUD", 2, "A$"), Currency("NZD", 2, "NZ$"),
        Currency("JPY", 0, "¥"), Currency("CHF", 2, "CHF "), Currency("SEK", 2, "SEK "), Currency("NOK", 2, "NOK "),
        Currency("DKK", 2, "DKK "), Currency("PLN", 2, "PLN "), Currency("MXN", 2, "MX$"), Currency("BRL", 2, "R$"),
        Currency("INR", 2, "₹"), Currency("ZAR", 2, "R "), Currency("SGD", 2, "S$"), Currency("HKD", 2, "HK$"),
    ]
}
