import Testing
@testable import Model

struct SecretTests {
    @Test func value_neverAppearsInDescriptionsDumpsOrJSON() {
        let secret = Secret("sk_live_TOPSECRET", source: "STRIPE_KEY")
        let integration = Integration(role: .payments, provider: .stripe, baseURL: "https://api.stripe.com",
                                      credentials: ["secret_key": SecretSet(secret)])
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

    @Test func rotation_currentIsTheFirst_andNoValueAppearsInDescriptionsDumpsOrJSON() throws {
        let secrets = try #require(SecretSet([Secret("whsec_NEWSECRET", source: "WHSEC_NEW"), Secret("whsec_OLDSECRET", source: "WHSEC_OLD")]))
        let config = WebhookConfig(source: .stripe, secrets: secrets)
        var dumped = ""
        dump(config, to: &dumped)
        for text in [secrets.description, String(reflecting: secrets), "\(config)", dumped, secrets.json.serialized()] {
            #expect(!text.contains("NEWSECRET") && !text.contains("OLDSECRET"), "\(text)")
        }
        #expect(secrets.description == "[<secret from $WHSEC_NEW>, <secret from $WHSEC_OLD>]")
        #expect(secrets.current.reveal() == "whsec_NEWSECRET")
        #expect(secrets.isRotating && secrets.count == 2)
        #expect(secrets.position(of: 1) == "secret 2 of 2")
        #expect(SecretSet([]) == nil)
        #expect(!SecretSet(Secret("x")).isRotating)
    }
}
