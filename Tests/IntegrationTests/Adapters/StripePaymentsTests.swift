import Integration
import Model
import Sandbox
import Testing

/// Stripe adapter against the sandbox over real HTTP.
@Suite(.timeLimit(.minutes(1)))
struct StripePaymentsTests {
    static func deposit(_ booking: String = "b-1") -> CheckoutSessionRequest {
        CheckoutSessionRequest(amount: 5000, currency: "usd", description: "Deposit: drain cleaning", customerEmail: "ann@example.com",
                               metadata: ["booking_id": booking, "tenant": "acme"], successURL: "https://acme.example/paid",
                               cancelURL: "https://acme.example/cancelled")
    }

    @Test func checkoutSession_isCreatedAndPayingItSucceedsItsPaymentIntent() async throws {
        let fixture = try SandboxFixture()
        let stripe = fixture.stripe()
        let session = try await stripe.createCheckoutSession(Self.deposit(), context: fixture.context())
        #expect(session.id.hasPrefix("cs_test_"))
        #expect(session.status == "open")
        #expect(session.amountTotal == 5000)
        #expect(session.url == "\(fixture.baseURL)/sandbox/checkout/\(session.id)")
        let intentID = try #require(session.paymentIntent)

        let before = try await stripe.retrievePaymentIntent(id: intentID, context: fixture.context())
        #expect(before.status == "requires_payment_method")
        #expect(before.metadata["booking_id"] == "b-1")

        _ = try await HTTPClient().send(HTTPClient.Request(method: "POST", url: "\(fixture.baseURL)/sandbox/checkout/\(session.id)/pay"))
        let after = try await stripe.retrievePaymentIntent(id: intentID, context: fixture.context())
        #expect(after.status == "succeeded")
        try await fixture.stop()
    }

    @Test func sameStepTwice_createsOneSession() async throws {
        let fixture = try SandboxFixture()
        let stripe = fixture.stripe()
        let first = try await stripe.createCheckoutSession(Self.deposit(), context: fixture.context("i-7:deposit"))
        let again = try await stripe.createCheckoutSession(Self.deposit(), context: fixture.context("i-7:deposit"))
        #expect(first == again)
        #expect(fixture.sandbox.state.value(at: "stripe.counts.checkout.session") == nil)
        #expect(fixture.sandbox.state["stripe"]?["counts"]?["checkout.session"]?.intValue == 1)
        #expect(fixture.sandbox.state.value(at: "stripe.by_idempotency_key")?["i-7:deposit:stripe.createCheckoutSession"]?.intValue == 1)
        try await fixture.stop()
    }

    @Test func sameKeyOtherParameters_isAPermanentIdempotencyError() async throws {
        let fixture = try SandboxFixture()
        let stripe = fixture.stripe()
        _ = try await stripe.createCheckoutSession(Self.deposit("b-1"), context: fixture.context("i-8:deposit"))
        let error = await #expect(throws: ProviderError.self) {
            try await stripe.createCheckoutSession(Self.deposit("b-2"), context: fixture.context("i-8:deposit"))
        }
        #expect(error?.kind == .permanent)
        #expect(error?.code == "idempotency_error")
        #expect(error?.status == 400)
        try await fixture.stop()
    }

    @Test func refund_ofAPaidDeposit_succeedsOnceAndIsCappedAtThePayment() async throws {
        let fixture = try SandboxFixture()
        let stripe = fixture.stripe()
        let session = try await stripe.createCheckoutSession(Self.deposit(), context: fixture.context("i-9:deposit"))
        _ = try await HTTPClient().send(HTTPClient.Request(method: "POST", url: "\(fixture.baseURL)/sandbox/checkout/\(session.id)/pay"))
        let refund = try await stripe.createRefund(RefundRequest(paymentIntent: session.paymentIntent!, amount: 2000, reason: .requestedByCustomer,
                                                                 metadata: ["booking_id": "b-1"]), context: fixture.context("i-10:refund"))
        #expect(refund.id.hasPrefix("re_"))
        #expect(refund.amount == 2000)
        #expect(refund.status == "succeeded")
        let error = await #expect(throws: ProviderError.self) {
            try await stripe.createRefund(RefundRequest(paymentIntent: session.paymentIntent!, amount: 4000), context: fixture.context("i-11:refund"))
        }
        #expect(error?.kind == .permanent)
        #expect(error?.code == "amount_too_large")
        try await fixture.stop()
    }

    @Test func paymentIntent_isCreatedWithAClientSecret() async throws {
        let fixture = try SandboxFixture()
        let intent = try await fixture.stripe().createPaymentIntent(
            PaymentIntentRequest(amount: 12_500, currency: "USD", description: "Drain cleaning", metadata: ["booking_id": "b-3"]),
            context: fixture.context())
        #expect(intent.id.hasPrefix("pi_"))
        #expect(intent.amount == 12_500)
        #expect(intent.currency == "usd")
        #expect(intent.clientSecret?.hasPrefix(intent.id + "_secret_") == true)
        try await fixture.stop()
    }

    @Test func unknownPaymentIntent_isNotFound() async throws {
        let fixture = try SandboxFixture()
        let error = await #expect(throws: ProviderError.self) {
            try await fixture.stripe().retrievePaymentIntent(id: "pi_missing", context: fixture.context())
        }
        #expect(error?.kind == .notFound)
        #expect(error?.code == "resource_missing")
        try await fixture.stop()
    }

    @Test func invalidKey_isAnAuthFailureWithoutTheKeyInTheRecord() async throws {
        let fixture = try SandboxFixture()
        let error = await #expect(throws: ProviderError.self) {
            try await fixture.stripe(key: "sk_test_revoked_0123456789").createCheckoutSession(Self.deposit(), context: fixture.context())
        }
        #expect(error?.kind == .authFailure)
        #expect(error?.status == 401)
        let record = try #require(fixture.log.records.last)
        #expect(record.errorKind == .authFailure)
        #expect(record.attempts == 1)
        #expect(!"\(record)".contains("sk_test_revoked_0123456789"))
        try await fixture.stop()
    }
}
