import Integration
import Model
import Native
import Testing

/// X-Request-Id over real HTTP: the caller's id comes back on the answer and is kept with the
/// interaction, so the trace names the request that brought it; without one the server mints one.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct RequestIDTests {
    static let path = "/v1/tenants/acme-plumbing/interactions"

    @Test func callersRequestID_isReturned_andShownInTheTrace() async throws {
        let harness = try Harness()
        let created = try await harness.call("POST", Self.path, key: Harness.acmeKey, json: APIContractTests.body,
                                             headers: [("X-Request-Id", "abc-123")])
        #expect(created.status == 202)
        #expect(created.header("X-Request-Id") == "abc-123")
        let id = try #require(created.json?["id"]?.stringValue)
        let trace = try await harness.trace("acme-plumbing", id, key: Harness.acmeOperatorKey)
        #expect(trace.value(at: "interaction.request_id") == "abc-123")
        // Reading the trace is a request of its own, with an id of its own.
        let read = try await harness.call("GET", "\(Self.path)/\(id)", key: Harness.acmeOperatorKey)
        #expect(read.header("X-Request-Id").map { $0 != "abc-123" && $0.utf8.count == 32 } == true)
    }

    @Test func withoutARequestID_theMintedOneIsReturnedAndRecorded() async throws {
        let harness = try Harness()
        let created = try await harness.call("POST", Self.path, key: Harness.acmeKey, json: APIContractTests.body,
                                             headers: [("X-Request-Id", "not safe <to log>")])
        let minted = try #require(created.header("X-Request-Id"))
        #expect(minted.utf8.count == 32 && minted != "not safe <to log>")
        let id = try #require(created.json?["id"]?.stringValue)
        let trace = try await harness.trace("acme-plumbing", id, key: Harness.acmeOperatorKey)
        #expect(trace.value(at: "interaction.request_id") == .string(minted))
    }

    @Test func webhookInteraction_recordsItsRequestID_andErrorsCarryOne() async throws {
        let harness = try Harness()
        let body = APIContractTests.stripeEvent("evt_request_id_1", type: "payment_intent.succeeded")
        let signature = APIContractTests.stripeSignature(body, secret: "whsec_sandbox_acme", at: Clock.unixSeconds())
        let request = HTTPClient.Request(method: "POST", url: harness.base + "/v1/tenants/acme-plumbing/webhooks/stripe",
                                         headers: [("Content-Type", "application/json"), ("Stripe-Signature", signature),
                                                   ("X-Request-Id", "req_stripe_9")],
                                         body: body)
        let received = try await harness.client.send(request)
        #expect(received.status == 200)
        #expect(received.header("X-Request-Id") == "req_stripe_9")
        let id = try #require(received.json?["id"]?.stringValue)
        let trace = try await harness.trace("acme-plumbing", id, key: Harness.acmeOperatorKey)
        #expect(trace.value(at: "interaction.request_id") == "req_stripe_9")

        let refused = try await harness.call("POST", Self.path, key: "not-a-key", json: APIContractTests.body,
                                             headers: [("X-Request-Id", "denied-1")])
        #expect(refused.status == 401)
        #expect(refused.header("X-Request-Id") == "denied-1")
    }
}
