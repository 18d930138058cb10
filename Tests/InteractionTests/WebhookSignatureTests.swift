import Model
import Native
import Testing
@testable import Interaction

/// Vectors from ../shared/providers/webhook-signatures.md.
struct WebhookSignatureTests {
    let twilioParams = [("CallSid", "CA1234567890ABCDE"), ("Caller", "+14158675309"), ("Digits", "1234"),
                        ("From", "+14158675309"), ("To", "+18005551212")]
    let token = Array("12345".utf8)

    @Test func twilio_officialVectors() throws {
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2"
        try WebhookSignature.verifyTwilio(url: url, parameters: twilioParams, signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8=", authTokens: [token])
        try WebhookSignature.verifyTwilio(url: url, parameters: [("Sid", "CA123"), ("SidAccount", "AC123"), ("Digits", "5678"), ("Digits", "1234")],
                                          signature: "IK+Dwps556ElfBT0I3Rgjkr1wJU=", authTokens: [token])
        // Signed with :443 while we know the URL without it, and the reverse.
        try WebhookSignature.verifyTwilio(url: url, parameters: twilioParams, signature: "kvajT1Ptam85bY51eRf/AJRuM3w=", authTokens: [token])
        try WebhookSignature.verifyTwilio(url: "http://mycompany.com:80/myapp.php?foo=1&bar=2", parameters: twilioParams,
                                          signature: "0ZXoZLH/DfblKGATFgpif+LLRf4=", authTokens: [token])
        try WebhookSignature.verifyTwilio(url: "http://mycompany.com:1234/myapp.php?foo=1&bar=2", parameters: twilioParams,
                                          signature: "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=", authTokens: [token])
    }

    @Test func twilio_sortsNamesByCodePointLikeTheReferenceLibrary() throws {
        // Computed with Python's `sorted` over the names, as twilio-python does: `e` + U+0301
        // (0x65 first) before the precomposed `é` (U+00E9), though Swift's String `<` finds the
        // two canonically equal and would keep them in the order they came.
        let parameters = [("\u{E9}", "1"), ("e\u{301}", "2"), ("Body", "ok")]
        try WebhookSignature.verifyTwilio(url: "https://mycompany.com/myapp.php", parameters: parameters,
                                          signature: "i8AW1/fIT4LUZxk1mAx5McAKDY0=", authTokens: [token])
    }

    @Test func twilio_rejectsWrongTokenChangedParamOrMissingHeader() {
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2"
        #expect(throws: SignatureFailure.mismatch) {
            try WebhookSignature.verifyTwilio(url: url, parameters: twilioParams, signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8=", authTokens: [Array("54321".utf8)])
        }
        var changed = twilioParams
        changed[2] = ("Digits", "9999")
        #expect(throws: SignatureFailure.mismatch) {
            try WebhookSignature.verifyTwilio(url: url, parameters: changed, signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8=", authTokens: [token])
        }
        #expect(throws: SignatureFailure.missing) {
            try WebhookSignature.verifyTwilio(url: url, parameters: twilioParams, signature: nil, authTokens: [token])
        }
    }

    let stripeBody = Array(#"{"id":"evt_test_webhook","object":"event"}"#.utf8)
    let stripeSecret = Array("whsec_test_secret".utf8)
    let stripeV1 = "d95c6b7477fbd7e9f90b1b0ef5f9c7ac25abca5382460e0d988c2b2a5b71b990"

    @Test func stripe_vector_andRotatedSecrets() throws {
        try WebhookSignature.verifyStripe(body: stripeBody, header: "t=1700000000,v1=\(stripeV1)", secrets: [stripeSecret], now: 1_700_000_100)
        try WebhookSignature.verifyStripe(body: stripeBody, header: "t=1700000000,v1=\(String(repeating: "0", count: 64)),v1=\(stripeV1),v0=abc",
                                          secrets: [stripeSecret], now: 1_700_000_000)
    }

    @Test func stripe_rejectsExpiredFutureModifiedOrMalformed() {
        #expect(throws: SignatureFailure.self) {
            try WebhookSignature.verifyStripe(body: stripeBody, header: "t=1700000000,v1=\(stripeV1)", secrets: [stripeSecret], now: 1_700_000_301)
        }
        #expect(throws: SignatureFailure.self) {
            try WebhookSignature.verifyStripe(body: stripeBody, header: "t=1700000000,v1=\(stripeV1)", secrets: [stripeSecret], now: 1_699_999_000)
        }
        #expect(throws: SignatureFailure.mismatch) {
            try WebhookSignature.verifyStripe(body: stripeBody + [0x20], header: "t=1700000000,v1=\(stripeV1)", secrets: [stripeSecret], now: 1_700_000_000)
        }
        #expect(throws: SignatureFailure.self) {
            try WebhookSignature.verifyStripe(body: stripeBody, header: "v1=\(stripeV1)", secrets: [stripeSecret], now: 1_700_000_000)
        }
        #expect(throws: SignatureFailure.self) {
            try WebhookSignature.verifyStripe(body: stripeBody, header: "t=1700000000,v0=\(stripeV1)", secrets: [stripeSecret], now: 1_700_000_000)
        }
    }

    @Test func calcom_vector_andNoSecretRefusal() throws {
        let body = Array(#"{"triggerEvent":"BOOKING_CREATED","payload":{"uid":"abc"}}"#.utf8)
        let secret = Array("calsecret".utf8)
        try WebhookSignature.verifyCalcom(body: body, signature: "9f48c52896c91358ab4a5b368b95b9ccb4cdcdd0db347f2179320bb483c096f6", secrets: [secret])
        #expect(throws: SignatureFailure.self) {
            try WebhookSignature.verifyCalcom(body: body, signature: "no-secret-provided", secrets: [secret])
        }
        #expect(throws: SignatureFailure.mismatch) {
            try WebhookSignature.verifyCalcom(body: body, signature: "9f48c52896c91358ab4a5b368b95b9ccb4cdcdd0db347f2179320bb483c096f6", secrets: [Array("other".utf8)])
        }
    }

    @Test func standardWebhooks_officialVector() throws {
        try WebhookSignature.verifyStandard(body: Array(#"{"test": 2432232314}"#.utf8), id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
                                            timestamp: "1614265330", signature: "v1a,abc v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                                            secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"], now: 1_614_265_330)
    }

    /// Found by the signatures fuzz target: a timestamp far from now overflowed the distance
    /// check and trapped the process. Any Int64 must be refused as outside the tolerance.
    @Test(arguments: ["-9223372036854775808", "9223372036854775807", "-1"])
    func extremeTimestamps_areRefused_notATrap(_ timestamp: String) {
        #expect(throws: SignatureFailure.self) {
            try WebhookSignature.verifyStripe(body: [], header: "t=\(timestamp),v1=00", secrets: [[1]], now: 1_800_000_000)
        }
        #expect(throws: SignatureFailure.self) {
            try WebhookSignature.verifyStandard(body: [], id: "msg_1", timestamp: timestamp, signature: "v1,AA==",
                                                secrets: ["whsec_AA=="], now: 1_800_000_000)
        }
        #expect(throws: SignatureFailure.self) {
            try WebhookSignature.verifyStripe(body: [], header: "t=\(timestamp),v1=00", secrets: [[1]], now: Int64.min)
        }
    }

    @Test func standardWebhooks_rejectsOldFutureAndTampered() {
        let body = Array(#"{"test": 2432232314}"#.utf8)
        let signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        for now: Int64 in [1_614_265_330 + 301, 1_614_265_330 - 301] {
            #expect(throws: SignatureFailure.self) {
                try WebhookSignature.verifyStandard(body: body, id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: "1614265330",
                                                    signature: signature, secrets: [secret], now: now)
            }
        }
        #expect(throws: SignatureFailure.mismatch) {
            try WebhookSignature.verifyStandard(body: body, id: "msg_other", timestamp: "1614265330", signature: signature,
                                                secrets: [secret], now: 1_614_265_330)
        }
    }

    @Test func formDecoding_keepsOrderAndRepeats_decodesPlus() throws {
        let pairs = try FormDecoding.decode(Array("Body=Hi+there%21&From=%2B15551234&Digits=1&Digits=2&Empty=".utf8))
        #expect(pairs.map(\.0) == ["Body", "From", "Digits", "Digits", "Empty"])
        #expect(pairs.map(\.1) == ["Hi there!", "+15551234", "1", "2", ""])
        #expect(throws: FormDecoding.Failure.self) { try FormDecoding.decode(Array("a=%zz".utf8)) }
    }
}
