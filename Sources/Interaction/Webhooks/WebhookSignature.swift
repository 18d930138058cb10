import Model
import Native

/// Why a webhook's signature was refused. The message names the problem, never a secret or the
/// expected signature.
public struct SignatureFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }

    static let missing = SignatureFailure("the signature header is missing")
    static let mismatch = SignatureFailure("the signature does not match the request")
}

/// Inbound webhook signature schemes (../shared/providers/webhook-signatures.md). Each verifies
/// the raw body bytes, compares in constant time, and reports a `SignatureFailure` otherwise.
public enum WebhookSignature {
    /// Twilio `X-Twilio-Signature`: base64 HMAC-SHA1 of the full URL followed by every POST
    /// parameter name and value, sorted by name (values sorted for repeated names). The URL is
    /// tried as given and with or without its explicit port, as Twilio may sign either form.
    public static func verifyTwilio(url: String, parameters: [(String, String)], signature: String?,
                                    authToken: [UInt8]) throws(SignatureFailure) {
        guard let signature, !signature.isEmpty else { throw .missing }
        guard let given = Base64.decode(signature) else { throw SignatureFailure("the signature is not base64") }
        // By code point, as Twilio's reference library sorts (Python's `sorted`): UTF-8 bytes
        // compare in that order. Swift's `<` on String would treat canonically equivalent names
        // (`é` and `e` + U+0301) as equal and keep them in arrival order.
        let sorted = parameters.sorted { a, b in
            a.0.utf8.elementsEqual(b.0.utf8)
                ? a.1.utf8.lexicographicallyPrecedes(b.1.utf8) : a.0.utf8.lexicographicallyPrecedes(b.0.utf8)
        }
        var suffix: [UInt8] = []
        for (name, value) in sorted {
            suffix.append(contentsOf: name.utf8)
            suffix.append(contentsOf: value.utf8)
        }
        for candidate in urlVariants(url) {
            let expected = Crypto.hmac(.sha1, key: authToken, message: Array(candidate.utf8) + suffix)
            if Crypto.constantTimeEquals(expected, given) { return }
        }
        throw .mismatch
    }

    /// Stripe `Stripe-Signature: t=...,v1=...[,v1=...]`: hex HMAC-SHA256 of `"<t>.<body>"` keyed
    /// with the whole endpoint secret string; any v1 may match; `t` within `tolerance` seconds.
    public static func verifyStripe(body: [UInt8], header: String?, secret: [UInt8], now: Int64,
                                    tolerance: Int64 = 300) throws(SignatureFailure) {
        guard let header, !header.isEmpty else { throw .missing }
        var timestamp: Int64?
        var signatures: [[UInt8]] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let key = pair[0].trimmingSpaces
            let value = pair[1].trimmingSpaces
            if key == "t" { timestamp = Int64(value) }
            if key == "v1", let bytes = Hex.decode(value) { signatures.append(bytes) }
        }
        guard let timestamp else { throw SignatureFailure("the Stripe-Signature header has no timestamp (t=)") }
        guard !signatures.isEmpty else { throw SignatureFailure("the Stripe-Signature header has no v1 signature") }
        guard within(tolerance, of: now, timestamp) else {
            throw SignatureFailure("the Stripe-Signature timestamp is outside the \(tolerance) s tolerance")
        }
        let expected = Crypto.hmac(.sha256, key: secret, message: Array("\(timestamp).".utf8) + body)
        guard signatures.contains(where: { Crypto.constantTimeEquals($0, expected) }) else { throw .mismatch }
    }

    /// Cal.com `X-Cal-Signature-256`: lowercase hex HMAC-SHA256 of the body. Cal.com sends the
    /// literal `no-secret-provided` when its webhook has no secret; that is refused.
    public static func verifyCalcom(body: [UInt8], signature: String?, secret: [UInt8]) throws(SignatureFailure) {
        guard let signature, !signature.isEmpty else { throw .missing }
        guard signature != "no-secret-provided" else {
            throw SignatureFailure("the Cal.com webhook has no secret set; add the tenant's secret in Cal.com")
        }
        guard let given = Hex.decode(signature) else { throw SignatureFailure("the signature is not hexadecimal") }
        let expected = Crypto.hmac(.sha256, key: secret, message: body)
        guard Crypto.constantTimeEquals(expected, given) else { throw .mismatch }
    }

    /// Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`): base64
    /// HMAC-SHA256 of `"<id>.<timestamp>.<body>"` keyed with the base64-decoded part of a
    /// `whsec_` secret; any `v1,` entry may match; the timestamp within `tolerance` both ways.
    public static func verifyStandard(body: [UInt8], id: String?, timestamp: String?, signature: String?,
                                      secret: String, now: Int64, tolerance: Int64 = 300) throws(SignatureFailure) {
        guard let id, !id.isEmpty, let timestamp, let signature, !signature.isEmpty else { throw .missing }
        guard let seconds = Int64(timestamp) else { throw SignatureFailure("webhook-timestamp is not a Unix time in seconds") }
        guard within(tolerance, of: now, seconds) else {
            throw SignatureFailure("webhook-timestamp is outside the \(tolerance) s tolerance")
        }
        let encodedKey = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        guard let key = Base64.decode(encodedKey) else { throw SignatureFailure("the tenant's generic webhook secret is not whsec_ base64") }
        let expected = Crypto.hmac(.sha256, key: key, message: Array("\(id).\(timestamp).".utf8) + body)
        for entry in signature.split(separator: " ") {
            let parts = entry.split(separator: ",", maxSplits: 1)
            guard parts.count == 2, parts[0] == "v1", let given = Base64.decode(parts[1]) else { continue }
            if Crypto.constantTimeEquals(expected, given) { return }
        }
        throw .mismatch
    }

    /// Whether `timestamp` is at most `tolerance` seconds from `now`, either way. The timestamp
    /// comes from the request: any Int64 can arrive, so the distance must not overflow.
    static func within(_ tolerance: Int64, of now: Int64, _ timestamp: Int64) -> Bool {
        let (distance, overflow) = now.subtractingReportingOverflow(timestamp)
        return !overflow && distance.magnitude <= tolerance.magnitude
    }

    /// The URL as given, plus the same URL with its default port made explicit or removed.
    static func urlVariants(_ url: String) -> [String] {
        guard let schemeEnd = url.firstRange(of: "://") else { return [url] }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        let afterScheme = url[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        let rest = afterScheme[authorityEnd...]
        let prefix = url[..<schemeEnd.upperBound]
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            // Has a port: also try without it.
            return [url, String(prefix) + authority[..<colon] + rest]
        }
        let port = scheme == "https" ? "443" : "80"
        return [url, String(prefix) + authority + ":" + port + rest]
    }
}

extension Substring {
    var trimmingSpaces: String {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
