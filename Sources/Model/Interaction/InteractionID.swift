/// An interaction's id: `int_` and 26 Crockford base32 characters of a 48-bit millisecond
/// timestamp followed by 80 random bits (the ULID layout), so ids sort by creation time and make
/// stable pagination cursors.
public struct InteractionID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init?(_ rawValue: String) {
        guard rawValue.hasPrefix("int_"), rawValue.utf8.count == 30,
              rawValue.utf8.dropFirst(4).allSatisfy({ InteractionID.alphabet.contains($0) })
        else { return nil }
        self.rawValue = rawValue
    }

    /// Makes an id from a timestamp and 10 random bytes.
    public init(unixMillis: Int64, random: [UInt8]) {
        precondition(random.count >= 10, "an interaction id needs 10 random bytes")
        var bytes = [UInt8](repeating: 0, count: 16)
        let time = UInt64(max(0, unixMillis))
        for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: time >> (8 * (5 - UInt64(i)))) }
        for i in 0..<10 { bytes[6 + i] = random[i] }
        // 128 bits as 26 base32 characters (the first carries 3 bits).
        var out = [UInt8](repeating: 0, count: 26)
        var high = UInt64(0)
        var low = UInt64(0)
        for i in 0..<8 { high = high << 8 | UInt64(bytes[i]) }
        for i in 8..<16 { low = low << 8 | UInt64(bytes[i]) }
        for i in stride(from: 25, through: 0, by: -1) {
            out[i] = InteractionID.alphabet[Int(low & 31)]
            low = (low >> 5) | ((high & 31) << 59)
            high >>= 5
        }
        rawValue = "int_" + String(decoding: out, as: UTF8.self)
    }

    /// The least id of an interaction received at `unixMillis`: ids below it were received
    /// earlier, so a time bound is a range of any index on ids.
    public static func lowest(at unixMillis: Int64) -> InteractionID {
        InteractionID(unixMillis: unixMillis, random: [UInt8](repeating: 0, count: 10))
    }

    /// When the interaction was received (Unix ms): the 48 bits its first ten characters carry.
    public var unixMillis: Int64 {
        var time: Int64 = 0
        for byte in rawValue.utf8.dropFirst(4).prefix(10) {
            time = time << 5 | Int64(InteractionID.alphabet.firstIndex(of: byte) ?? 0)
        }
        return time
    }

    private static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    public var description: String { rawValue }

    public static func < (lhs: InteractionID, rhs: InteractionID) -> Bool { lhs.rawValue < rhs.rawValue }
}
