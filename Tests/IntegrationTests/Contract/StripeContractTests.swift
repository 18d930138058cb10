import HTTP
import Integration
import Model
import Testing

/// The exact requests the Stripe adapter sends, checked against stripe.openapi.json.
@Suite(.timeLimit(.minutes(1)), .enabled(if: OpenAPIContract.isAvailable, "needs ../shared/providers"))
struct StripeContractTests {
    static func answer(_ request: HTTPRequest) -> HTTPResponse {
        switch request.path {
        case "/v1/checkout/sessions":
            return .json(["id": "cs_test_1", "object": "checkout.session", "url": "https://checkout.stripe.com/c/pay/cs_test_1",
                          "status": "open", "payment_status": "unpaid", "payment_intent": "pi_1", "amount_total": 5000])
        case "/v1/refunds":
            return .json(["id": "re_1", "object": "refund", "amount": 2000, "status": "succeeded", "payment_intent": "pi_1"])
        default:
            return .json(["id": "pi_1", "object": "payment_intent", "status": "requires_payment_method", "amount": 5000, "currency": "usd",
                          "client_secret": "pi_1_secret_abc", "metadata": ["booking_id": "b-1"]])
        }
    }

    static func run(_ body: (StripePayments, CallContext) async throws -> Void) async throws -> [HTTPRequest] {
        let server = try CaptureServer(answer)
        let runtime = try IntegrationRuntime(metrics: MetricsRegistry())
        let stripe = StripePayments(configuration: .init(baseURL: server.url, secretKey: "sk_test_contract_key"), runtime: runtime)
        try await body(stripe, CallContext(tenant: "acme", idempotencyKey: "i-1:deposit"))
        runtime.client.shutdown()
        try await server.stop()
        return server.requests
    }

    @Test func checkoutSession_matchesTheSpecAndCarriesAllFields() async throws {
        let requests = try await Self.run { stripe, context in
            let session = try await stripe.createCheckoutSession(StripePaymentsTests.deposit(), context: context)
            #expect(session.url == "https://checkout.stripe.com/c/pay/cs_test_1")
        }
        let request = try #require(requests.first)
        #expect(try OpenAPIContract("stripe").problems(request) == [])
        #expect(request.method == .post)
        #expect(request.headers["Authorization"] == "Bearer sk_test_contract_key")
        #expect(request.headers["Idempotency-Key"] == "i-1:deposit:stripe.createCheckoutSession")
        #expect(request.mediaType == "application/x-www-form-urlencoded")
        let fields = FormDecoding.pairs(request.body).map { "\($0.0)=\($0.1)" }
        #expect(fields == [
            "mode=payment", "line_items[0][price_data][currency]=usd", "line_items[0][price_data][unit_amount]=5000",
            "line_items[0][price_data][product_data][name]=Deposit: drain cleaning", "line_items[0][quantity]=1",
            "success_url=https://acme.example/paid", "cancel_url=https://acme.example/cancelled", "customer_email=ann@example.com",
            "metadata[booking_id]=b-1", "metadata[tenant]=acme",
            "payment_intent_data[metadata][booking_id]=b-1", "payment_intent_data[metadata][tenant]=acme",
        ])
        // Brackets travel percent-encoded, as Stripe's own libraries send them.
        #expect(request.bodyString.contains("metadata%5Bbooking_id%5D=b-1"))
    }

    @Test func paymentIntent_matchesTheSpec() async throws {
        let requests = try await Self.run { stripe, context in
            _ = try await stripe.createPaymentIntent(PaymentIntentRequest(amount: 5000, currency: "usd", description: "Deposit",
                                                                          receiptEmail: "ann@example.com", metadata: ["booking_id": "b-1"]),
                                                     context: context)
        }
        let request = try #require(requests.first)
        #expect(try OpenAPIContract("stripe").problems(request) == [])
        #expect(FormDecoding.nested(request.body) == ["amount": "5000", "currency": "usd", "description": "Deposit",
                                                      "receipt_email": "ann@example.com", "automatic_payment_methods": ["enabled": "true"],
                                                      "metadata": ["booking_id": "b-1"]])
        #expect(request.headers["Idempotency-Key"] == "i-1:deposit:stripe.createPaymentIntent")
    }

    @Test func refund_matchesTheSpec() async throws {
        let requests = try await Self.run { stripe, context in
            let refund = try await stripe.createRefund(RefundRequest(paymentIntent: "pi_1", amount: 2000, reason: .requestedByCustomer,
                                                                     metadata: ["rule": "48h"]), context: context)
            #expect(refund == Refund(id: "re_1", status: "succeeded", amount: 2000, paymentIntent: "pi_1"))
        }
        let request = try #require(requests.first)
        #expect(try OpenAPIContract("stripe").problems(request) == [])
        #expect(FormDecoding.nested(request.body) == ["payment_intent": "pi_1", "amount": "2000", "reason": "requested_by_customer",
                                                      "metadata": ["rule": "48h"]])
        #expect(request.headers["Idempotency-Key"] == "i-1:deposit:stripe.createRefund")
    }

    @Test func everyPostHasAnIdempotencyKey_andTheGetHasNone() async throws {
        let requests = try await Self.run { stripe, context in
            _ = try await stripe.createCheckoutSession(StripePaymentsTests.deposit(), context: context)
            _ = try await stripe.createPaymentIntent(PaymentIntentRequest(amount: 1, currency: "usd"), context: context)
            _ = try await stripe.createRefund(RefundRequest(paymentIntent: "pi_1"), context: context)
            _ = try await stripe.retrievePaymentIntent(id: "pi_1", context: context)
        }
        #expect(requests.count == 4)
        for request in requests where request.method == .post {
            #expect(request.headers["Idempotency-Key"]?.hasPrefix("i-1:deposit:stripe.") == true)
        }
        let get = try #require(requests.last)
        #expect(get.method == .get)
        #expect(get.path == "/v1/payment_intents/pi_1")
        #expect(get.headers["Idempotency-Key"] == nil)
        #expect(get.body.isEmpty)
        #expect(Set(requests.compactMap { $0.headers["Idempotency-Key"] }).count == 3)
    }

    @Test func checkForms_catchesAnUndeclaredParameter() throws {
        var request = HTTPRequest(method: .post, target: "/v1/refunds", headers: HTTPHeaders([("Content-Type", "application/x-www-form-urlencoded")]),
                                  body: Array("payment_intent=pi_1&surprise=1".utf8))
        let spec = try OpenAPIContract("stripe")
        #expect(spec.problems(request) == ["body.surprise is not a declared parameter"])
        request.body = Array("amount=abc".utf8)
        #expect(spec.problems(request) == ["body.amount=abc is not an integer"])
    }
}
