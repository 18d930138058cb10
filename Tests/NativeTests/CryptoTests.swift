import Model
import Testing
@testable import Native

struct CryptoTests {
    @Test func sha256_knownVector() {
        #expect(Hex.encode(Crypto.sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func hmacSHA256_stripeVector() {
        // ../shared/providers/webhook-signatures.md §2 (computed vector).
        let mac = Crypto.hmac(.sha256, key: Array("whsec_test_secret".utf8),
                              message: Array(#"1700000000.{"id":"evt_test_webhook","object":"event"}"#.utf8))
        #expect(Hex.encode(mac) == "d95c6b7477fbd7e9f90b1b0ef5f9c7ac25abca5382460e0d988c2b2a5b71b990")
    }

    @Test func hmacSHA1_twilioVector() {
        // Twilio's official vector: auth token 12345, URL + sorted params.
        let message = "https://mycompany.com/myapp.php?foo=1&bar=2"
            + "CallSidCA1234567890ABCDE" + "Caller+14158675309" + "Digits1234" + "From+14158675309" + "To+18005551212"
        let mac = Crypto.hmac(.sha1, key: Array("12345".utf8), message: Array(message.utf8))
        #expect(Base64.encode(mac) == "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
    }

    @Test func constantTimeEquals_comparesContentAndLength() {
        #expect(Crypto.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!Crypto.constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!Crypto.constantTimeEquals([1, 2, 3], [1, 2]))
        #expect(Crypto.constantTimeEquals([UInt8](), []))
    }

    @Test func randomBytes_differ() {
        let a = Crypto.randomBytes(32)
        let b = Crypto.randomBytes(32)
        #expect(a.count == 32 && a != b)
    }
}
