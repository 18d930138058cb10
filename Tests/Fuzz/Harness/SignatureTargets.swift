import Interaction
import Model
import Native

/// Webhook signature checks: `secret\0body\0header`. Arbitrary headers are refused or accepted
/// without trapping; a signature computed the provider's way is accepted, and the same
/// signature over a changed body, or from another secret, is refused.
enum SignatureTargets {
    static let now: Int64 = 1_800_000_000

    static let verify: FuzzTarget = { input in
        let parts = FuzzInput(input).parts(3)
        let secret = parts[0]
        let body = parts[1]
        let header = String(decoding: parts[2], as: UTF8.self)
        let other = secret + [1]
        let standardSecret = "whsec_" + Base64.encode(secret)

        // Whatever arrives in the headers.
        _ = try? WebhookSignature.verifyStripe(body: body, header: header, secrets: [secret], now: now)
        _ = try? WebhookSignature.verifyCalcom(body: body, signature: header, secrets: [secret])
        let fields = header.split(separator: " ", maxSplits: 2).map(String.init)
        _ = try? WebhookSignature.verifyStandard(body: body, id: fields.first, timestamp: fields.dropFirst().first,
                                                 signature: fields.last, secrets: [standardSecret], now: now)
        _ = try? WebhookSignature.verifyStandard(body: body, id: "msg_1", timestamp: String(now), signature: header,
                                                 secrets: [String(decoding: secret, as: UTF8.self)], now: now)
        let parameters = (try? FormDecoding.decode(body)) ?? []
        _ = try? WebhookSignature.verifyTwilio(url: header, parameters: parameters, signature: header, authTokens: [secret])

        // Stripe: t=<seconds>,v1=<hex HMAC-SHA256 of "t.body">.
        let t = now - Int64(secret.first ?? 0)
        func stripe(_ key: [UInt8]) -> String {
            "t=\(t),v1=" + Hex.encode(Crypto.hmac(.sha256, key: key, message: Array("\(t).".utf8) + body))
        }
        accepted { try WebhookSignature.verifyStripe(body: body, header: stripe(secret), secrets: [secret], now: now) }
        refused { try WebhookSignature.verifyStripe(body: body + [0x20], header: stripe(secret), secrets: [secret], now: now) }
        refused { try WebhookSignature.verifyStripe(body: body, header: stripe(other), secrets: [secret], now: now) }
        // During a rotation: either listed secret signs, and the answer says which; a third does not.
        signed(by: 1) { try WebhookSignature.verifyStripe(body: body, header: stripe(secret), secrets: [other, secret], now: now) }
        signed(by: 0) { try WebhookSignature.verifyStripe(body: body, header: stripe(other), secrets: [other, secret], now: now) }
        refused { try WebhookSignature.verifyStripe(body: body, header: stripe(other + [2]), secrets: [other, secret], now: now) }

        // Cal.com: hex HMAC-SHA256 of the body.
        let calcom = Hex.encode(Crypto.hmac(.sha256, key: secret, message: body))
        accepted { try WebhookSignature.verifyCalcom(body: body, signature: calcom, secrets: [secret]) }
        refused { try WebhookSignature.verifyCalcom(body: body + [0x20], signature: calcom, secrets: [secret]) }
        signed(by: 1) { try WebhookSignature.verifyCalcom(body: body, signature: calcom, secrets: [other, secret]) }

        // Standard Webhooks: v1,<base64 HMAC-SHA256 of "id.timestamp.body"> keyed with the secret's bytes.
        let standard = "v1," + Base64.encode(Crypto.hmac(.sha256, key: secret, message: Array("msg_1.\(t).".utf8) + body))
        accepted {
            try WebhookSignature.verifyStandard(body: body, id: "msg_1", timestamp: String(t), signature: "v1,bm90IGl0 " + standard,
                                                secrets: [standardSecret], now: now)
        }
        refused {
            try WebhookSignature.verifyStandard(body: body, id: "msg_2", timestamp: String(t), signature: standard,
                                                secrets: [standardSecret], now: now)
        }
        signed(by: 1) {
            try WebhookSignature.verifyStandard(body: body, id: "msg_1", timestamp: String(t), signature: standard,
                                                secrets: ["whsec_" + Base64.encode(other), standardSecret], now: now)
        }

        // Twilio: base64 HMAC-SHA1 of the URL and the parameters sorted by name, then value, in
        // code point order (as twilio-python's `sorted`).
        let url = "https://switchboard.example/v1/tenants/acme/webhooks/twilio"
        func precedes(_ a: String, _ b: String) -> Bool { a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) }
        let sorted = parameters.sorted { a, b in
            a.0.unicodeScalars.elementsEqual(b.0.unicodeScalars) ? precedes(a.1, b.1) : precedes(a.0, b.0)
        }
        let message = url + sorted.map { $0.0 + $0.1 }.joined()
        let twilio = Base64.encode(Crypto.hmac(.sha1, key: secret, message: Array(message.utf8)))
        accepted { try WebhookSignature.verifyTwilio(url: url, parameters: parameters, signature: twilio, authTokens: [secret]) }
        signed(by: 1) { try WebhookSignature.verifyTwilio(url: url, parameters: parameters, signature: twilio, authTokens: [other, secret]) }
        refused {
            try WebhookSignature.verifyTwilio(url: url, parameters: parameters + [("Extra", "1")], signature: twilio, authTokens: [secret])
        }
    }

    static func accepted(_ check: () throws -> Void) {
        do { try check() } catch { preconditionFailure("a correct signature was refused: \(error)") }
    }

    static func signed(by index: Int, line: Int = #line, _ check: () throws -> Int) {
        do {
            let match = try check()
            precondition(match == index, "secret \(match) was reported to have signed, not secret \(index)")
        } catch {
            preconditionFailure("line \(line): a signature by one of the listed secrets was refused: \(error)")
        }
    }

    static func refused(_ check: () throws -> Void) {
        precondition((try? check()) == nil, "a wrong signature was accepted")
    }
}
