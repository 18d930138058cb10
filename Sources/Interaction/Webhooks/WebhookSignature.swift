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
///
/// Each takes the tenant's secrets for the source: one, or during a rotation the new and the old
/// (`SecretSet`). A signature made with any of them is accepted, and the verifier returns the
/// index of the secret that made it, so the caller can tell the operator that an old one is still
/// in use. Every secret is tried against every signature without stopping at a match: the work,
/// and so the time taken, is the same whichever secret signed.
public enum WebhookSignature {
    /// Twilio `X-Twilio-Signature`: base64 HMAC-SHA1 of the full URL followed by every POST
    /// parameter name and value, sorted by name (values sorted for repeated names). The URL is
    /// tried as given and with or without its explicit port, as Twilio may sign either form.
    ///
    /// - Returns: the index in `authTokens` of the token that signed the request.
    @discardableResult
    public static func verifyTwilio(url: String, parameters: [(String, String)], signature: String?,
                                    authTokens: [[UInt8]]) throws(SignatureFailure) -> Int {
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
        let variants = urlVariants(url)
        let match = matchingKey(authTokens, given: [given]) { token in
            variants.map { Crypto.hmac(.sha1, key: token, message: Array($0.utf8) + suffix) }
        }
        guard let match else { throw .mismatch }
        return match
    }

    /// Stripe `Stripe-Signature: t=...,v1=...[,v1=...]`: hex HMAC-SHA256 of `"<t>.<body>"` keyed
    /// with the whole endpoint secret string; any v1 may match (Stripe sends one per endpoint secret
    /// while a secret is being rolled); `t` within `tolerance` seconds.
    ///
    /// - Returns: the index in `secrets` of a secret that made one of the v1 signatures.
    @discardableResult
    public static func verifyStripe(body: [UInt8], header: String?, secrets: [[UInt8]], now: Int64,
                                    tolerance: Int64 = 300) throws(SignatureFailure) -> Int {
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
        let message = Array("\(timestamp).".utf8) + body
        let match = matchingKey(secrets, given: signatures) { [Crypto.hmac(.sha256, key: $0, message: message)] }
        guard let match else { throw .mismatch }
        return match
    }

    /// Cal.com `X-Cal-Signature-256`: lowercase hex HMAC-SHA256 of the body. Cal.com sends the
    /// literal `no-secret-provided` when its webhook has no secret; that is refused.
    ///
    /// - Returns: the index in `secrets` of the secret that signed the body.
    @discardableResult
    public static func verifyCalcom(body: [UInt8], signature: String?, secrets: [[UInt8]]) throws(SignatureFailure) -> Int {
        guard let signature, !signature.isEmpty else { throw .missing }
        guard signature != "no-secret-provided" else {
            throw SignatureFailure("the Cal.com webhook has no secret set; add the tenant's secret in Cal.com")
        }
        guard let given = Hex.decode(signature) else { throw SignatureFailure("the signature is not hexadecimal") }
        let match = matchingKey(secrets, given: [given]) { [Crypto.hmac(.sha256, key: $0, message: body)] }
        guard let match else { throw .mismatch }
        return match
    }

    /// Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`): base64
    /// HMAC-SHA256 of `"<id>.<timestamp>.<body>"` keyed with the base64-decoded part of a
    /// `whsec_` secret; any `v1,` entry may match; the timestamp within `tolerance` both ways.
    /// A secret that is not base64 is passed over while another one matches, and reported (by its
    /// position) when none does.
    ///
    /// - Returns: the index in `secrets` of a secret that made one of the `v1,` signatures.
    @discardableResult
    public static func verifyStandard(body: [UInt8], id: String?, timestamp: String?, signature: String?,
                                      secrets: [String], now: Int64, tolerance: Int64 = 300) throws(SignatureFailure) -> Int {
        guard let id, !id.isEmpty, let timestamp, let signature, !signature.isEmpty else { throw .missing }
        guard let seconds = Int64(timestamp) else { throw SignatureFailure("webhook-timestamp is not a Unix time in seconds") }
        guard within(tolerance, of: now, seconds) else {
            throw SignatureFailure("webhook-timestamp is outside the \(tolerance) s tolerance")
        }
        let keys = secrets.map { Base64.decode($0.hasPrefix("whsec_") ? String($0.dropFirst(6)) : $0) }
        let given = signature.split(separator: " ").compactMap { entry -> [UInt8]? in
            let parts = entry.split(separator: ",", maxSplits: 1)
            guard parts.count == 2, parts[0] == "v1" else { return nil }
            return Base64.decode(parts[1])
        }
        let message = Array("\(id).\(timestamp).".utf8) + body
        let match = matchingKey(keys, given: given) { key in key.map { [Crypto.hmac(.sha256, key: $0, message: message)] } ?? [] }
        if let match { return match }
        if let bad = keys.firstIndex(where: { $0 == nil }) {
            let which = secrets.count == 1 ? "secret" : "secret \(bad + 1) of \(secrets.count)"
            throw SignatureFailure("the tenant's generic webhook \(which) is not whsec_ base64")
        }
        throw .mismatch
    }

    /// The index of the first key for which one of the MACs `expected` computes equals one of
    /// `given`. Every key's MACs are compared with every given one, in constant time and without
    /// stopping at a match, so which key matched does not show in the time taken.
    static func matchingKey<Key>(_ keys: [Key], given: [[UInt8]], expected: (Key) -> [[UInt8]]) -> Int? {
        var match: Int?
        for (index, key) in keys.enumerated() {
            for mac in expected(key) {
                for candidate in given where Crypto.constantTimeEquals(mac, candidate) {
                    if match == nil { match = index }
                }
            }
        }
        return match
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
