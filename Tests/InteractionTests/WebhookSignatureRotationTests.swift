import Model
import Native
import Sandbox
import Testing
@testable import Interaction

/// During a rotation the tenant lists the new secret and the old: each verifier accepts a
/// signature by either, says which one made it, and refuses a third.
struct WebhookSignatureRotationTests {
    static let new = "whsec_new_2026"
    static let old = "whsec_old_2025"
    static let unrelated = "whsec_someone_else"
    static let secrets = [Array(new.utf8), Array(old.utf8)]
    let body = Array(#"{"id":"evt_rotation","object":"event"}"#.utf8)
    let now: Int64 = 1_700_000_000

    @Test(arguments: [(new, 0), (old, 1)])
    func stripe_eitherListedSecretSigns(_ signer: String, _ index: Int) throws {
        let header = WebhookSignatures.stripe(secret: signer, timestamp: now, body: body)
        #expect(try WebhookSignature.verifyStripe(body: body, header: header, secrets: Self.secrets, now: now) == index)
    }

    @Test func stripe_unrelatedSecret_isRefused_andOneV1ByAListedSecretIsEnough() throws {
        let header = WebhookSignatures.stripe(secret: Self.unrelated, timestamp: now, body: body)
        #expect(throws: SignatureFailure.mismatch) {
            try WebhookSignature.verifyStripe(body: body, header: header, secrets: Self.secrets, now: now)
        }
        // Stripe sends one v1 per endpoint secret while one is rolled: the old secret's among others is enough.
        let old = WebhookSignatures.stripe(secret: Self.old, timestamp: now, body: body)
        let both = header + "," + String(old.split(separator: ",").last!)
        #expect(try WebhookSignature.verifyStripe(body: body, header: both, secrets: Self.secrets, now: now) == 1)
    }

    @Test(arguments: [(new, 0), (old, 1)])
    func calcom_eitherListedSecretSigns(_ signer: String, _ index: Int) throws {
        let signature = WebhookSignatures.calcom(secret: signer, body: body)
        #expect(try WebhookSignature.verifyCalcom(body: body, signature: signature, secrets: Self.secrets) == index)
    }

    @Test func calcom_unrelatedSecret_isRefused() {
        let signature = WebhookSignatures.calcom(secret: Self.unrelated, body: body)
        #expect(throws: SignatureFailure.mismatch) {
            try WebhookSignature.verifyCalcom(body: body, signature: signature, secrets: Self.secrets)
        }
    }

    static let twilioURL = "https://switchboard.example/v1/tenants/acme-plumbing/webhooks/twilio"
    static let form = [("From", "+15125550100"), ("To", "+15125550142"), ("Body", "Is Tuesday ok?")]

    @Test(arguments: [(new, 0), (old, 1)])
    func twilio_eitherListedTokenSigns(_ signer: String, _ index: Int) throws {
        let signature = WebhookSignatures.twilio(authToken: signer, url: Self.twilioURL, parameters: Self.form)
        #expect(try WebhookSignature.verifyTwilio(url: Self.twilioURL, parameters: Self.form, signature: signature,
                                                  authTokens: Self.secrets) == index)
        // Signed with the port made explicit: the URL forms are tried for every token.
        let withPort = WebhookSignatures.twilio(authToken: signer, url: Self.twilioURL.replacing(".example/", with: ".example:443/"),
                                                parameters: Self.form)
        #expect(try WebhookSignature.verifyTwilio(url: Self.twilioURL, parameters: Self.form, signature: withPort,
                                                  authTokens: Self.secrets) == index)
    }

    @Test func twilio_unrelatedToken_isRefused() {
        let signature = WebhookSignatures.twilio(authToken: Self.unrelated, url: Self.twilioURL, parameters: Self.form)
        #expect(throws: SignatureFailure.mismatch) {
            try WebhookSignature.verifyTwilio(url: Self.twilioURL, parameters: Self.form, signature: signature, authTokens: Self.secrets)
        }
    }

    static let standardNew = "whsec_" + Base64.encode(Array("standard-new-key".utf8))
    static let standardOld = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    /// `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed with the secret's decoded bytes.
    func standardSignature(_ secret: String, id: String = "msg_rotation") -> String {
        let key = Base64.decode(String(secret.dropFirst(6)))!
        return "v1," + Base64.encode(Crypto.hmac(.sha256, key: key, message: Array("\(id).\(now).".utf8) + body))
    }

    @Test(arguments: [(standardNew, 0), (standardOld, 1)])
    func standardWebhooks_eitherListedSecretSigns(_ signer: String, _ index: Int) throws {
        let signature = "v1,bm90IG1pbmU= " + standardSignature(signer)
        #expect(try WebhookSignature.verifyStandard(body: body, id: "msg_rotation", timestamp: String(now), signature: signature,
                                                    secrets: [Self.standardNew, Self.standardOld], now: now) == index)
    }

    @Test func standardWebhooks_unrelatedSecret_isRefused() {
        let unrelated = "whsec_" + Base64.encode(Array("someone-else".utf8))
        #expect(throws: SignatureFailure.mismatch) {
            try WebhookSignature.verifyStandard(body: body, id: "msg_rotation", timestamp: String(now), signature: standardSignature(unrelated),
                                                secrets: [Self.standardNew, Self.standardOld], now: now)
        }
    }

    /// A listed secret that is not base64 does not stop the other from verifying; when nothing
    /// matches, the error says which entry is malformed.
    @Test func standardWebhooks_malformedEntry_isNamedOnlyWhenNothingMatches() throws {
        let secrets = [Self.standardNew, "whsec_not base64!"]
        #expect(try WebhookSignature.verifyStandard(body: body, id: "msg_rotation", timestamp: String(now),
                                                    signature: standardSignature(Self.standardNew), secrets: secrets, now: now) == 0)
        #expect(throws: SignatureFailure("the tenant's generic webhook secret 2 of 2 is not whsec_ base64")) {
            try WebhookSignature.verifyStandard(body: body, id: "msg_rotation", timestamp: String(now),
                                                signature: standardSignature(Self.standardOld), secrets: secrets, now: now)
        }
    }
}
