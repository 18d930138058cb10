import Model
import Native
import Sandbox
import Testing

/// Stripe's authentication, parameter checks and idempotency semantics, over raw HTTP.
@Suite(.timeLimit(.minutes(1)))
struct StripeSimulatorTests {
    static let form = [("Content-Type", "application/x-www-form-urlencoded")]
    static let auth = [("Authorization", "Bearer sk_test_simulator_tests")]

    @Test func sameKeySameParameters_replaysStatusAndBody() async throws {
        let client = try SandboxClient()
        let headers = Self.auth + Self.form + [("Idempotency-Key", "k-1")]
        let first = try await client.send("POST", "/stripe/v1/payment_intents", headers: headers, body: "amount=500&currency=usd")
        let second = try await client.send("POST", "/stripe/v1/payment_intents", headers: headers, body: "currency=usd&amount=500")
        #expect(first.status == 200)
        #expect(second.status == 200)
        #expect(second.body == first.body)
        #expect(second.header("Idempotent-Replayed") == "true")
        #expect(client.sandbox.state.value(at: "stripe.counts")?["payment_intent"]?.intValue == 1)
        let other = try await client.send("POST", "/stripe/v1/payment_intents", headers: headers, body: "amount=600&currency=usd")
        #expect(other.status == 400)
        #expect(try JSONParser.parse(other.body).value(at: "error.type")?.stringValue == "idempotency_error")
        try await client.stop()
    }

    @Test func declinedCard_isReplayedToo_butValidationErrorsAreNot() async throws {
        let client = try SandboxClient()
        let headers = Self.auth + Self.form + [("Idempotency-Key", "k-2")]
        let body = "amount=500&currency=usd&confirm=true&payment_method=pm_card_chargeDeclined"
        let declined = try await client.send("POST", "/stripe/v1/payment_intents", headers: headers, body: body)
        #expect(declined.status == 402)
        #expect(try JSONParser.parse(declined.body).value(at: "error.code")?.stringValue == "card_declined")
        let replay = try await client.send("POST", "/stripe/v1/payment_intents", headers: headers, body: body)
        #expect(replay.status == 402)
        #expect(replay.header("Idempotent-Replayed") == "true")

        let invalid = Self.auth + Self.form + [("Idempotency-Key", "k-3")]
        #expect(try await client.send("POST", "/stripe/v1/payment_intents", headers: invalid, body: "currency=usd").status == 400)
        // Not saved: the corrected request with the same key runs.
        #expect(try await client.send("POST", "/stripe/v1/payment_intents", headers: invalid, body: "amount=1&currency=usd").status == 200)
        try await client.stop()
    }

    @Test func parametersAndAuthentication_areCheckedLikeStripe() async throws {
        let client = try SandboxClient()
        let unknown = try await client.send("POST", "/stripe/v1/refunds", headers: Self.auth + Self.form, body: "payment_intent=pi_1&colour=red")
        #expect(unknown.status == 400)
        #expect(try JSONParser.parse(unknown.body).value(at: "error.code")?.stringValue == "parameter_unknown")
        let missing = try await client.send("POST", "/stripe/v1/payment_intents", headers: Self.auth + Self.form, body: "amount=5")
        #expect(try JSONParser.parse(missing.body).value(at: "error.param")?.stringValue == "currency")
        let noKey = try await client.send("POST", "/stripe/v1/payment_intents", headers: Self.form, body: "amount=5&currency=usd")
        #expect(noKey.status == 401)
        let basic = [("Authorization", "Basic " + Base64.encode(Array("sk_test_simulator_tests:".utf8)))]
        #expect(try await client.send("POST", "/stripe/v1/payment_intents", headers: basic + Self.form, body: "amount=5&currency=usd").status == 200)
        let otherAccount = [("Authorization", "Bearer sk_test_someone_else_entirely")]
        let created = try JSONParser.parse(try await client.send("POST", "/stripe/v1/payment_intents", headers: Self.auth + Self.form,
                                                                 body: "amount=5&currency=usd").body)
        let id = try #require(created["id"]?.stringValue)
        #expect(try await client.send("GET", "/stripe/v1/payment_intents/\(id)", headers: otherAccount).status == 404)
        #expect(try await client.send("GET", "/stripe/v1/payment_intents/\(id)", headers: Self.auth).status == 200)
        try await client.stop()
    }
}
