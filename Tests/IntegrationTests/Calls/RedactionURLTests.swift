import Testing
@testable import Integration

struct RedactionURLTests {
    @Test func url_dropsUserInfoAndFragment_masksSecretQueryValues() {
        #expect(Redaction.url("https://user:pass@api.example.com/v1/x?id=7&api_key=abc123&Token=zz#frag")
                == "https://api.example.com/v1/x?id=7&api_key=[redacted]&Token=[redacted]")
        #expect(Redaction.url("http://127.0.0.1:8089/calcom/v2/slots?eventTypeId=9&start=2026-11-23T00:00:00Z")
                == "http://127.0.0.1:8089/calcom/v2/slots?eventTypeId=9&start=2026-11-23T00:00:00Z")
    }

    @Test func url_secretPath_isMaskedWhole() {
        #expect(Redaction.url("https://hooks.slack.com/services/T0/B0/secret", pathIsSecret: true) == "https://hooks.slack.com/[redacted]")
    }

    @Test func url_tokensInThePath_areMasked() {
        #expect(Redaction.url("https://x.test/keys/sk_live_abcdef/info") == "https://x.test/keys/sk_live_[redacted]")
        #expect(Redaction.url("not a url with whsec_abcdef") == "not a url with whsec_[redacted]")
    }
}
