/// A service's price and duration when they depend on what the customer asks for: a table keyed
/// by one field (bedrooms → 95 / 115 / 135), and add-ons that add amounts or minutes per
/// selected value or per unit of a number.
public struct ServicePricing: Sendable, Hashable {
    public var priceTable: FieldTable<Money>?
    public var durationTable: FieldTable<Duration>?
    public var addOns: [AddOn]

    public init(priceTable: FieldTable<Money>? = nil, durationTable: FieldTable<Duration>? = nil, addOns: [AddOn] = []) {
        self.priceTable = priceTable
        self.durationTable = durationTable
        self.addOns = addOns
    }

    public var isEmpty: Bool { priceTable == nil && durationTable == nil && addOns.isEmpty }
}

/// Values by the value of one request field: `by: bedrooms`, `table: {1: 95.00, 2: 115.00}`.
public struct FieldTable<Value: Sendable & Hashable>: Sendable, Hashable {
    public var field: String
    /// By the field's value as text (`"3"`, `"large"`).
    public var entries: [String: Value]
    /// For a request without the field.
    public var fallback: Value?

    public init(field: String, entries: [String: Value], fallback: Value? = nil) {
        self.field = field
        self.entries = entries
        self.fallback = fallback
    }

    /// The entry for the request's fields, and the key it was found by (nil: the fallback).
    public func lookup(_ fields: JSONObject) -> (value: Value, key: String?)? {
        if let raw = fields[field], !raw.isNull {
            let key = raw.textValue
            if let value = entries[key] { return (value, key) }
        }
        return fallback.map { ($0, nil) }
    }
}

/// An amount (and minutes) added per selected value of a field, or per unit of a number field
/// above what the base includes.
public struct AddOn: Sendable, Hashable {
    public var field: String
    /// Per value of an enum field (`oven: 35.00`).
    public var prices: [String: Money]
    public var minutes: [String: Int]
    /// Per unit of a number field above `included` (`each: 20.00` per bathroom after the first).
    public var each: Money?
    public var minutesEach: Int
    public var included: Int

    public init(field: String, prices: [String: Money] = [:], minutes: [String: Int] = [:], each: Money? = nil,
                minutesEach: Int = 0, included: Int = 0) {
        self.field = field
        self.prices = prices
        self.minutes = minutes
        self.each = each
        self.minutesEach = minutesEach
        self.included = included
    }

    /// What the request's fields select: one line per value (or one for the units), with its
    /// amount and minutes.
    public func lines(_ fields: JSONObject, currency: Currency) -> [(label: String, amount: Money, minutes: Int)] {
        guard let value = fields[field], !value.isNull else { return [] }
        if each != nil || minutesEach > 0 {
            guard let count = value.intValue ?? value.doubleValue.map({ Int64($0) }), count > Int64(included) else { return [] }
            let units = count - Int64(included)
            let amount = Money(minorUnits: (each?.minorUnits ?? 0) * units, currency: currency)
            let label = included > 0 ? "\(field) \(count) (\(units) above \(included))" : "\(field) \(count)"
            return [(label, amount, minutesEach * Int(units))]
        }
        let selected = value.arrayValue?.compactMap(\.stringValue) ?? value.stringValue.map { [$0] } ?? []
        return selected.compactMap { name in
            guard prices[name] != nil || minutes[name] != nil else { return nil }
            return ("\(field) \(name)", prices[name] ?? .zero(currency), minutes[name] ?? 0)
        }
    }
}

extension Service {
    /// The service's duration for a request with `fields`: its duration table's entry (else
    /// `duration`) plus every selected add-on's minutes.
    public func duration(for fields: JSONObject) -> Duration {
        var seconds = (pricing.durationTable?.lookup(fields)?.value ?? duration).components.seconds
        for addOn in pricing.addOns {
            seconds += Int64(addOn.lines(fields, currency: price.currency).reduce(0) { $0 + $1.minutes }) * 60
        }
        return .seconds(seconds)
    }

    /// Every length in minutes a booking of the service can take (its duration table's entries
    /// plus any combination of add-on minutes), sorted; at most `limit` of them, for a
    /// calendar's list of allowed durations.
    public func possibleDurationMinutes(limit: Int = 64) -> [Int] {
        var lengths = Set((pricing.durationTable.map { Array($0.entries.values) + ($0.fallback.map { [$0] } ?? []) } ?? [duration])
            .map { Int($0.components.seconds / 60) })
        for addOn in pricing.addOns {
            // What this add-on can add: nothing, each unit count, or any subset of its values.
            var extras: Set<Int> = [0]
            if addOn.minutesEach > 0 {
                for units in 1...20 { extras.insert(units * addOn.minutesEach) }
            }
            for minutes in addOn.minutes.values where minutes > 0 {
                extras.formUnion(extras.map { $0 + minutes })
            }
            lengths = Set(lengths.flatMap { base in extras.map { base + $0 } })
            if lengths.count > limit * 4 { break }
        }
        return Array(lengths.sorted().prefix(limit))
    }

    /// The base price for a request with `fields` (its price table's entry, else `price`) and
    /// why; nil when the table has no entry for the request and no fallback.
    public func basePrice(for fields: JSONObject) -> (price: Money, reason: String)? {
        guard let table = pricing.priceTable else { return (price, "base price \(price.formatted) for \(name)") }
        guard let (amount, key) = table.lookup(fields) else { return nil }
        let basis = key.map { "\(table.field) \($0)" } ?? "no \(table.field) given"
        return (amount, "base price \(amount.formatted) for \(name) (\(basis))")
    }
}
