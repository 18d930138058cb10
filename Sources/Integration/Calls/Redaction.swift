/// Removes what must never reach a log or a trace: credentials, webhook tokens and card numbers.
public enum Redaction {
    public static let mask = "[redacted]"

    /// `url` without user info, with secret-looking query values masked, and with the whole path
    /// masked when `pathIsSecret` (a Slack webhook URL is its own credential).
    public static func url(_ url: String, pathIsSecret: Bool = false) -> String {
        guard let schemeEnd = url.firstRange(of: "://") else { return text(url) }
        let scheme = url[..<schemeEnd.upperBound]
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let host = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
        if pathIsSecret { return "\(scheme)\(host)/\(mask)" }
        var tail = String(rest[authorityEnd...])
        if let fragment = tail.firstIndex(of: "#") { tail = String(tail[..<fragment]) }
        guard let question = tail.firstIndex(of: "?") else { return "\(scheme)\(host)\(text(tail))" }
        let path = tail[..<question]
        let query = tail[tail.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, isSecretName(parts[0]) else { return String(pair) }
            return "\(parts[0])=\(mask)"
        }
        return "\(scheme)\(host)\(text(String(path)))?\(text(query.joined(separator: "&")))"
    }

    /// Query or field names whose values are credentials.
    public static func isSecretName(_ name: some StringProtocol) -> Bool {
        let lowered = name.lowercased()
        return ["key", "token", "secret", "password", "passwd", "signature", "auth", "credential", "sig"]
            .contains { lowered.contains($0) }
    }

    /// `text` with `secrets` (exact strings, such as the adapter's own credentials), well-known
    /// credential shapes and card-like numbers replaced by `[redacted]`.
    public static func text(_ text: String, secrets: [String] = []) -> String {
        var result = text
        for secret in secrets where secret.utf8.count >= 4 {
            result = result.replacing(secret, with: mask)
        }
        result = maskTokens(result)
        return maskCardNumbers(result)
    }

    // HTTP auth schemes first (they cover whatever token follows), then prefixes of provider
    // credentials: Stripe secret/restricted keys and webhook secrets, Cal.com keys, HubSpot
    // private-app tokens, Slack tokens and webhook paths.
    private static let tokenPrefixes = ["Bearer ", "Basic ", "sk_live_", "sk_test_", "rk_live_", "rk_test_", "whsec_", "cal_live_",
                                        "cal_test_", "pat-", "xoxb-", "xoxp-", "hooks.slack.com/services/"]

    private static func maskTokens(_ text: String) -> String {
        var result = text
        for prefix in tokenPrefixes {
            var searchStart = result.startIndex
            while let range = result[searchStart...].firstRange(of: prefix) {
                let valueEnd = result[range.upperBound...].firstIndex { !isTokenCharacter($0) } ?? result.endIndex
                if valueEnd == range.upperBound {
                    searchStart = range.upperBound
                    continue
                }
                let replaced = "\(prefix)\(mask)"
                result.replaceSubrange(range.lowerBound..<valueEnd, with: replaced)
                searchStart = result.index(range.lowerBound, offsetBy: replaced.count)
            }
        }
        return result
    }

    private static func isTokenCharacter(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "_" || c == "-" || c == "/" || c == "+" || c == "=" || c == "."
    }

    /// Replaces runs of 13 to 19 digits (spaces and dashes allowed between them) that pass the
    /// Luhn check: what a payment card number looks like.
    static func maskCardNumbers(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            guard isDigit(scalars[index]), index == 0 || !isDigit(scalars[index - 1]) else {
                out.append(scalars[index])
                index += 1
                continue
            }
            var end = index
            var digits: [UInt8] = []
            var lastDigitEnd = index
            while end < scalars.count, isDigit(scalars[end]) || ((scalars[end] == " " || scalars[end] == "-") && digits.count < 19) {
                if isDigit(scalars[end]) {
                    digits.append(UInt8(scalars[end].value - 48))
                    lastDigitEnd = end + 1
                } else if end + 1 >= scalars.count || !isDigit(scalars[end + 1]) {
                    break
                }
                end += 1
            }
            if (13...19).contains(digits.count), luhn(digits) {
                out.append(contentsOf: "[card]".unicodeScalars)
                index = lastDigitEnd
            } else {
                out.append(contentsOf: scalars[index..<lastDigitEnd])
                index = lastDigitEnd
            }
        }
        return String(out)
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= 48 && scalar.value <= 57 }

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
