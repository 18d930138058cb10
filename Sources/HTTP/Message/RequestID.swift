import Native

/// The `X-Request-Id` of a request: the caller's when it is safe to log and store, otherwise one
/// the server mints.
public enum RequestID {
    public static let headerName = "X-Request-Id"
    public static let maxLength = 128

    /// True when `value` is 1 to 128 characters of visible ASCII other than quotes, backslash,
    /// angle brackets and backtick: it can go into a log line, a trace and a dashboard as it is.
    public static func isAcceptable(_ value: some StringProtocol) -> Bool {
        let utf8 = value.utf8
        guard (1...maxLength).contains(utf8.count) else { return false }
        return utf8.allSatisfy(isAllowed)
    }

    @inline(__always)
    static func isAllowed(_ byte: UInt8) -> Bool {
        guard byte >= 0x21 && byte <= 0x7E else { return false }
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "\\"), UInt8(ascii: "<"), UInt8(ascii: ">"),
             UInt8(ascii: "`"):
            return false
        default:
            return true
        }
    }
}

/// Mints request ids: 32 lowercase hex digits, the first 12 the Unix milliseconds (so ids sort by
/// time) and the other 20 from a generator seeded with 128 random bits. One per event loop, used
/// only on its thread, so minting takes no lock and no system call.
struct RequestIDGenerator {
    private var state: (UInt64, UInt64)

    init(seed: [UInt8] = Crypto.randomBytes(16)) {
        var a: UInt64 = 0
        var b: UInt64 = 0
        for (i, byte) in seed.prefix(16).enumerated() {
            if i < 8 { a = a << 8 | UInt64(byte) } else { b = b << 8 | UInt64(byte) }
        }
        // xorshift128+ must not start from all zeros.
        state = (a | 1, b)
    }

    /// xorshift128+ (Vigna): fast and well spread; ids need uniqueness, not secrecy.
    private mutating func nextRandom() -> UInt64 {
        var s1 = state.0
        let s0 = state.1
        state.0 = s0
        s1 ^= s1 << 23
        state.1 = s1 ^ s0 ^ (s1 >> 17) ^ (s0 >> 26)
        return state.1 &+ s0
    }

    mutating func next(unixMillis: Int64) -> String {
        let high = nextRandom()
        let low = nextRandom()
        return String(unsafeUninitializedCapacity: 32) { buffer in
            let digits: StaticString = "0123456789abcdef"
            let millis = UInt64(truncatingIfNeeded: unixMillis)
            for i in 0..<12 { buffer[i] = digits.utf8Start[Int((millis >> UInt64(44 - 4 * i)) & 0xF)] }
            for i in 0..<16 { buffer[12 + i] = digits.utf8Start[Int((high >> UInt64(60 - 4 * i)) & 0xF)] }
            for i in 0..<4 { buffer[28 + i] = digits.utf8Start[Int((low >> UInt64(60 - 4 * i)) & 0xF)] }
            return 32
        }
    }
}
