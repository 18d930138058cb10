import Model
import Native

/// Signing as each provider does it (webhook-signatures.md), so Switchboard's verification is
/// exercised for real.
public enum WebhookSignatures {
    /// `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`; the key is the
    /// whole `whsec_…` string as UTF-8.
    public static func stripe(secret: String, timestamp: Int64, body: [UInt8]) -> String {
        let signed = Array("\(timestamp).".utf8) + body
        return "t=\(timestamp),v1=\(Hex.encode(Crypto.hmac(.sha256, key: Array(secret.utf8), message: signed)))"
    }

    /// `X-Cal-Signature-256`: lowercase hex HMAC-SHA256 of the raw body.
    public static func calcom(secret: String, body: [UInt8]) -> String {
        Hex.encode(Crypto.hmac(.sha256, key: Array(secret.utf8), message: body))
    }

    /// `X-Twilio-Signature`: base64 HMAC-SHA1 of the URL followed by every POST parameter's name
    /// and value, sorted by name (then value) in code point order as twilio-python sorts, keyed
    /// with the account's auth token.
    public static func twilio(authToken: String, url: String, parameters: [(String, String)]) -> String {
        func precedes(_ a: String, _ b: String) -> Bool { a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) }
        var signed = Array(url.utf8)
        for (name, value) in parameters.sorted(by: { a, b in
            a.0.unicodeScalars.elementsEqual(b.0.unicodeScalars) ? precedes(a.1, b.1) : precedes(a.0, b.0)
        }) {
            signed += name.utf8
            signed += value.utf8
        }
        return Base64.encode(Crypto.hmac(.sha1, key: Array(authToken.utf8), message: signed))
    }
}
