import Model
import Sandbox
import Testing

/// The signing schemes against the vectors in webhook-signatures.md.
struct WebhookSignaturesTests {
    @Test func twilio_officialVectors() {
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2"
        let params = [("CallSid", "CA1234567890ABCDE"), ("Caller", "+14158675309"), ("Digits", "1234"), ("From", "+14158675309"),
                      ("To", "+18005551212")]
        #expect(WebhookSignatures.twilio(authToken: "12345", url: url, parameters: params) == "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
        let repeated = [("Sid", "CA123"), ("SidAccount", "AC123"), ("Digits", "5678"), ("Digits", "1234")]
        #expect(WebhookSignatures.twilio(authToken: "12345", url: url, parameters: repeated) == "IK+Dwps556ElfBT0I3Rgjkr1wJU=")
        #expect(WebhookSignatures.twilio(authToken: "12345", url: "https://mycompany.com:443/myapp.php?foo=1&bar=2", parameters: params)
                == "kvajT1Ptam85bY51eRf/AJRuM3w=")
    }

    @Test func stripe_computedVector() {
        #expect(WebhookSignatures.stripe(secret: "whsec_test_secret", timestamp: 1_700_000_000,
                                         body: Array("{\"id\":\"evt_test_webhook\",\"object\":\"event\"}".utf8))
                == "t=1700000000,v1=d95c6b7477fbd7e9f90b1b0ef5f9c7ac25abca5382460e0d988c2b2a5b71b990")
    }

    @Test func calcom_computedVector() {
        #expect(WebhookSignatures.calcom(secret: "calsecret", body: Array("{\"triggerEvent\":\"BOOKING_CREATED\",\"payload\":{\"uid\":\"abc\"}}".utf8))
                == "9f48c52896c91358ab4a5b368b95b9ccb4cdcdd0db347f2179320bb483c096f6")
    }
}
