/// Identifiers in each provider's shape: `pi_3Qx…`, `SM` + 32 hex digits, numeric HubSpot ids.
enum SandboxIDs {
    private static let alphanumerics = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func alphanumeric(_ prefix: String, length: Int = 24) -> String {
        prefix + random(length, from: alphanumerics)
    }

    static func hex(_ prefix: String, length: Int = 32) -> String {
        prefix + random(length, from: hexDigits)
    }

    /// A v4-shaped UUID (HubSpot correlation ids).
    static func uuid() -> String {
        let c = Array(random(32, from: hexDigits).utf8)
        func part(_ range: Range<Int>) -> String { String(decoding: c[range], as: UTF8.self) }
        return "\(part(0..<8))-\(part(8..<12))-4\(part(13..<16))-a\(part(17..<20))-\(part(20..<32))"
    }

    /// `length` symbols drawn from `alphabet`, one system random word per eight of them (the
    /// generator is a syscall; the slight modulo bias is irrelevant for simulated ids).
    private static func random(_ length: Int, from alphabet: [UInt8]) -> String {
        var generator = SystemRandomNumberGenerator()
        return String(unsafeUninitializedCapacity: length) { buffer in
            var word: UInt64 = 0
            for i in 0..<length {
                if i % 8 == 0 { word = generator.next() }
                buffer[i] = alphabet[Int(word & 0xFF) % alphabet.count]
                word >>= 8
            }
            return length
        }
    }
}
