import Testing
@testable import Model

struct SecretTests {
    @Test func value_neverAppearsInDescriptionsDumpsOrJSON() {
        let secret = Secret("sk_live_TOPSECRET", source: "STRIPE_KEY")
        let integration = Integration(role: .payments, provider: .stripe, baseURL: "https://api.stripe.com",
                                      credentials: ["secret_key": secret])
        var dumped = ""
        dump(integration, to: &dumped)
        for text in [secret.description, secret.debugDescription, "\(secret)", String(reflecting: secret), "\(integration)", dumped,
                     secret.json.serialized()] {
            #expect(!text.contains("TOPSECRET"), "\(text)")
        }
        #expect(secret.description == "<secret from $STRIPE_KEY>")
        #expect(Secret("x").description == "<secret>")
        #expect(secret.reveal() == "sk_live_TOPSECRET")
    }
}
