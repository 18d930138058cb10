/// Removes what must never reach a log or a trace: credentials, webhook tokens and card numbers.
public enum Redaction {
    public static let mask = "[redacted]"

    /// `url` without user info, with secret-looking query values masked, and with the whole path
    /// masked when `pathIsSecret` (a Slack webhook URL is its own credential). Byte-level: it runs
    /// on every provider call.
    public static func url(_ url: String, pathIsSecret: Bool = false) -> String {
        let bytes = Array(url.utf8)
        guard let schemeEnd = find(schemeSeparator, in: bytes, from: 0), schemeEnd < 32 else { return text(url) }
        let authorityStart = schemeEnd + 3
        var authorityEnd = authorityStart
        while authorityEnd < bytes.count, bytes[authorityEnd] != 0x2F, bytes[authorityEnd] != 0x3F, bytes[authorityEnd] != 0x23 {
            authorityEnd += 1
        }
        var hostStart = authorityStart
        for index in authorityStart..<authorityEnd where bytes[index] == 0x40 { hostStart = index + 1 }  // after user info
        var out = Array(bytes[0..<authorityStart])
        out.append(contentsOf: bytes[hostStart..<authorityEnd])
        if pathIsSecret {
            out.append(0x2F)
            out.append(contentsOf: maskBytes)
            return String(decoding: out, as: UTF8.self)
        }
        var end = authorityEnd
        while end < bytes.count, bytes[end] != 0x23 { end += 1 }  // the fragment is dropped
        var question = authorityEnd
        while question < end, bytes[question] != 0x3F { question += 1 }
        var path = Array(bytes[authorityEnd..<question])
        _ = redact(&path, secrets: [])
        out.append(contentsOf: path)
        guard question < end else { return String(decoding: out, as: UTF8.self) }
        var query: [UInt8] = []
        var pairStart = question + 1
        while pairStart <= end {
            var pairEnd = pairStart
            while pairEnd < end, bytes[pairEnd] != 0x26 { pairEnd += 1 }
            if !query.isEmpty || pairStart > question + 1 { query.append(0x26) }
            var equals = pairStart
            while equals < pairEnd, bytes[equals] != 0x3D { equals += 1 }
            if equals < pairEnd, isSecretName(bytes[pairStart..<equals]) {
                query.append(contentsOf: bytes[pairStart...equals])
                query.append(contentsOf: maskBytes)
            } else {
                query.append(contentsOf: bytes[pairStart..<pairEnd])
            }
            pairStart = pairEnd + 1
        }
        _ = redact(&query, secrets: [])
        out.append(0x3F)
        out.append(contentsOf: query)
        return String(decoding: out, as: UTF8.self)
    }

    private static let schemeSeparator = Array("://".utf8)

    /// Query or field names whose values are credentials.
    public static func isSecretName(_ name: some StringProtocol) -> Bool { isSecretName(Array(name.utf8)[...]) }

    static func isSecretName(_ name: ArraySlice<UInt8>) -> Bool {
        let lowered = name.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        // "sig" covers "signature"; "passwd" is not a substring of "password".
        return secretNameParts.contains { find($0, in: lowered, from: 0) != nil }
    }

    private static let secretNameParts: [[UInt8]] = ["key", "token", "secret", "password", "passwd", "auth", "credential", "sig"]
        .map { Array($0.utf8) }

    /// `text` with `secrets` (exact strings, such as the adapter's own credentials), well-known
    /// credential shapes and card-like numbers replaced by `[redacted]`. It works on UTF-8 bytes
    /// and returns `text` itself when nothing matched: it runs on every provider call.
    public static func text(_ text: String, secrets: [String] = []) -> String {
        var bytes = Array(text.utf8)
        return redact(&bytes, secrets: secrets) ? String(decoding: bytes, as: UTF8.self) : text
    }

    /// Redacts `bytes` in place; returns whether anything changed.
    static func redact(_ bytes: inout [UInt8], secrets: [String]) -> Bool {
        var changed = false
        for secret in secrets where secret.utf8.count >= 4 {
            changed = replaceAll(&bytes, Array(secret.utf8), with: maskBytes) || changed
        }
        changed = maskTokens(&bytes) || changed
        changed = maskCardNumbers(&bytes) || changed
        return changed
    }

    private static let maskBytes = Array(mask.utf8)

    // HTTP auth schemes first (they cover whatever token follows), then prefixes of provider
    // credentials: Stripe secret/restricted keys and webhook secrets, Cal.com keys, HubSpot
    // private-app tokens, Slack tokens and webhook paths.
    private static let tokenPrefixes: [[UInt8]] = ["Bearer ", "Basic ", "sk_live_", "sk_test_", "rk_live_", "rk_test_", "whsec_",
                                                   "cal_live_", "cal_test_", "pat-", "xoxb-", "xoxp-", "hooks.slack.com/services/"]
        .map { Array($0.utf8) }

    /// The first index at or after `from` where `needle` starts in `bytes`.
    private static func find(_ needle: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, bytes.count >= needle.count else { return nil }
        var index = from
        let last = bytes.count - needle.count
        while index <= last {
            if bytes[index] == first {
                var matched = true
                for offset in 1..<needle.count where bytes[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }

    private static func replaceAll(_ bytes: inout [UInt8], _ needle: [UInt8], with replacement: [UInt8]) -> Bool {
        var changed = false
        var from = 0
        while let index = find(needle, in: bytes, from: from) {
            bytes.replaceSubrange(index..<(index + needle.count), with: replacement)
            from = index + replacement.count
            changed = true
        }
        return changed
    }

    private static func maskTokens(_ bytes: inout [UInt8]) -> Bool {
        var changed = false
        for prefix in tokenPrefixes {
            var from = 0
            while let index = find(prefix, in: bytes, from: from) {
                let valueStart = index + prefix.count
                var valueEnd = valueStart
                while valueEnd < bytes.count, isTokenByte(bytes[valueEnd]) { valueEnd += 1 }
                guard valueEnd > valueStart else {
                    from = valueStart
                    continue
                }
                bytes.replaceSubrange(valueStart..<valueEnd, with: maskBytes)
                from = valueStart + maskBytes.count
                changed = true
            }
        }
        return changed
    }

    /// Letters (any non-ASCII byte counts, as part of a letter), digits and `_-/+=.`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x80...0xFF: return true
        case UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "+"), UInt8(ascii: "="), UInt8(ascii: "."): return true
        default: return false
        }
    }

    /// Replaces runs of 13 to 19 digits (spaces and dashes allowed between them) that pass the
    /// Luhn check: what a payment card number looks like.
    static func maskCardNumbers(_ text: String) -> String {
        var bytes = Array(text.utf8)
        return maskCardNumbers(&bytes) ? String(decoding: bytes, as: UTF8.self) : text
    }

    private static func maskCardNumbers(_ bytes: inout [UInt8]) -> Bool {
        // Fast path: fewer than 13 digits cannot hold a card number.
        var digitCount = 0
        for byte in bytes where isDigit(byte) { digitCount += 1 }
        guard digitCount >= 13 else { return false }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var changed = false
        var index = 0
        while index < bytes.count {
            guard isDigit(bytes[index]), index == 0 || !isDigit(bytes[index - 1]) else {
                out.append(bytes[index])
                index += 1
                continue
            }
            var end = index
            var digits: [UInt8] = []
            var lastDigitEnd = index
            while end < bytes.count, isDigit(bytes[end]) || ((bytes[end] == 0x20 || bytes[end] == 0x2D) && digits.count < 19) {
                if isDigit(bytes[end]) {
                    digits.append(bytes[end] - 48)
                    lastDigitEnd = end + 1
                } else if end + 1 >= bytes.count || !isDigit(bytes[end + 1]) {
                    break
                }
                end += 1
            }
            if (13...19).contains(digits.count), luhn(digits) {
                out.append(contentsOf: Array("[card]".utf8))
                changed = true
            } else {
                out.append(contentsOf: bytes[index..<lastDigitEnd])
            }
            index = lastDigitEnd
        }
        if changed { bytes = out }
        return changed
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    static func luhn(_ digits: [UInt8]) -> Bool {
        var sum = 0
        for (offset, digit) in digits.reversed().enumerated() {
            var value = Int(digit)
            if offset % 2 == 1 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum % 10 == 0
    }
}
