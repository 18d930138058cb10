/// The context keys a tenant's templates can read, numbered, so that "keys set on every path"
/// can be computed with bit masks instead of sets of strings.
struct ContextKeys {
    private(set) var names: [String] = []
    private var numbers: [String: Int] = [:]

    init(_ keys: some Sequence<String>) {
        for key in keys where numbers[key] == nil {
            numbers[key] = names.count
            names.append(key)
        }
    }

    /// The keys of `list` this table knows, as a mask.
    func mask(_ list: some Sequence<String>) -> Mask {
        var mask = Mask()
        for key in list {
            if let number = numbers[key] { mask.insert(number) }
        }
        return mask
    }

    /// True when `path` is a key of `mask`, lies under one (`customer.tags.0` under
    /// `customer.tags`) or under an open namespace of it (`fields.*`).
    func covers(_ mask: Mask, _ path: String) -> Bool {
        if contains(mask, path) { return true }
        var current = Substring(path)
        while let dot = current.lastIndex(of: ".") {
            current = current[..<dot]
            if contains(mask, String(current)) || contains(mask, current + ".*") { return true }
        }
        return false
    }

    private func contains(_ mask: Mask, _ key: String) -> Bool {
        guard let number = numbers[key] else { return false }
        return mask.contains(number)
    }

    /// A set of key numbers below 256, kept inline (no allocation). A tenant would need hundreds
    /// of generic response fields to pass that; keys numbered above it count as always set.
    struct Mask: Equatable {
        private var a: UInt64 = 0, b: UInt64 = 0, c: UInt64 = 0, d: UInt64 = 0

        mutating func insert(_ number: Int) {
            let bit: UInt64 = 1 << UInt64(number % 64)
            switch number / 64 {
            case 0: a |= bit
            case 1: b |= bit
            case 2: c |= bit
            case 3: d |= bit
            default: break
            }
        }

        func contains(_ number: Int) -> Bool {
            let bit: UInt64 = 1 << UInt64(number % 64)
            switch number / 64 {
            case 0: return a & bit != 0
            case 1: return b & bit != 0
            case 2: return c & bit != 0
            case 3: return d & bit != 0
            default: return true
            }
        }

        func union(_ other: Mask) -> Mask {
            var result = self
            result.a |= other.a; result.b |= other.b; result.c |= other.c; result.d |= other.d
            return result
        }

        func intersection(_ other: Mask) -> Mask {
            var result = self
            result.a &= other.a; result.b &= other.b; result.c &= other.c; result.d &= other.d
            return result
        }
    }
}
