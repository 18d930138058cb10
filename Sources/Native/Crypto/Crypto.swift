internal import CCrypto

/// Hashes, MACs, constant-time comparison and randomness from OpenSSL's libcrypto.
public enum Crypto {
    public enum Digest: Sendable {
        case sha1, sha256

        fileprivate var evp: OpaquePointer {
            switch self {
            case .sha1: return EVP_sha1()
            case .sha256: return EVP_sha256()
            }
        }

        public var byteCount: Int {
            switch self {
            case .sha1: return 20
            case .sha256: return 32
            }
        }
    }

    public static func sha256(_ data: some Collection<UInt8>) -> [UInt8] {
        withBytes(data) { input in
            var out = [UInt8](repeating: 0, count: 32)
            out.withUnsafeMutableBytes { buffer in
                _ = SHA256(input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count,
                           buffer.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
            return out
        }
    }

    public static func sha256(_ text: String) -> [UInt8] { sha256(Array(text.utf8)) }

    /// HMAC of `message` under `key`.
    public static func hmac(_ digest: Digest, key: some Collection<UInt8>, message: some Collection<UInt8>) -> [UInt8] {
        withBytes(key) { keyBuffer in
            withBytes(message) { messageBuffer in
                var out = [UInt8](repeating: 0, count: 64)
                var length: UInt32 = 0
                out.withUnsafeMutableBytes { buffer in
                    // > HMAC() computes the message authentication code of the n bytes at d using
                    // > the hash function evp_md and the key key which is key_len bytes long.
                    _ = HMAC(digest.evp, keyBuffer.baseAddress, Int32(keyBuffer.count),
                             messageBuffer.baseAddress?.assumingMemoryBound(to: UInt8.self), messageBuffer.count,
                             buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), &length)
                }
                return Array(out.prefix(Int(length)))
            }
        }
    }

    /// Compares two byte strings in time that depends only on their lengths.
    public static func constantTimeEquals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return withBytes(a) { x in
            withBytes(b) { y in
                // > CRYPTO_memcmp() compares the len bytes pointed to by a and b for equality. It
                // > takes an amount of time dependent on len, but independent of the contents.
                CRYPTO_memcmp(x.baseAddress, y.baseAddress, x.count) == 0
            }
        }
    }

    /// Cryptographically secure random bytes.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        out.withUnsafeMutableBytes { buffer in
            let rc = RAND_bytes(buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(count))
            precondition(rc == 1, "RAND_bytes failed: the system has no entropy source")
        }
        return out
    }

    private static func withBytes<R>(_ data: some Collection<UInt8>, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if let result = data.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return Array(data).withUnsafeBytes(body)
    }
}
