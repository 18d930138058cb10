import Integration
import Model
import Synchronization
import Testing
@testable import Agents

/// Answers recorded on the way out, and handed back in order when replaying.
struct ReplayingProvidersTests {
    /// A step's recorder: what the engine's call collector does.
    final class Sink: ProviderAnswerRecorder, ProviderCallRecorder, Sendable {
        let answers = Mutex<[ProviderAnswer]>([])
        func recordAnswer(_ answer: ProviderAnswer) { answers.withLock { $0.append(answer) } }
        func record(_ call: ProviderCall) {}
        var recorded: [ProviderAnswer] { answers.withLock { $0 } }
    }

    /// A payments provider that counts calls and answers with a client secret.
    final class Payments: PaymentsProvider, Sendable {
        let calls = Atomic<Int>(0)
        func createCheckoutSession(_ request: CheckoutSessionRequest, context: CallContext) async throws -> CheckoutSession {
            calls.add(1, ordering: .relaxed)
            return CheckoutSession(id: "cs_live_\(calls.load(ordering: .relaxed))", url: "https://pay.example/cs", amountTotal: request.amount)
        }
        func retrieveCheckoutSession(id: String, context: CallContext) async throws -> CheckoutSession {
            CheckoutSession(id: id, status: "open", paymentStatus: "unpaid")
        }
        func expireCheckoutSession(id: String, context: CallContext) async throws -> CheckoutSession {
            CheckoutSession(id: id, status: "expired", paymentStatus: "unpaid")
        }
        func createPaymentIntent(_ request: PaymentIntentRequest, context: CallContext) async throws -> PaymentIntent {
            PaymentIntent(id: "pi_1", status: "succeeded", amount: request.amount, currency: request.currency, clientSecret: "pi_1_secret_xyz",
                          metadata: request.metadata)
        }
        func retrievePaymentIntent(id: String, context: CallContext) async throws -> PaymentIntent {
            throw ProviderError(kind: .notFound, provider: "stripe", operation: "retrievePaymentIntent", status: 404, message: "No such payment_intent")
        }
        func createRefund(_ request: RefundRequest, context: CallContext) async throws -> Refund {
            throw ProviderError(kind: .permanent, provider: "stripe", operation: "createRefund", status: 400, message: "No such payment_intent")
        }
    }

    static let checkout = CheckoutSessionRequest(amount: 2500, currency: "usd", description: "Deposit", successURL: "s", cancelURL: "c")

    @Test func recording_keepsAnswersAndErrors_butNoClientSecret() async throws {
        let sink = Sink()
        let context = CallContext(tenant: "acme", idempotencyKey: "int_01M80FXS36ECQZZCK8T5BYW5FB:deposit#0", recorder: sink)
        let providers = RecordingProviders.wrap(TenantProviders(payments: Payments()))
        _ = try await providers.payments!.createCheckoutSession(Self.checkout, context: context)
        _ = try await providers.payments!.createPaymentIntent(PaymentIntentRequest(amount: 100, currency: "usd"), context: context)
        await #expect(throws: ProviderError.self) { _ = try await providers.payments!.retrievePaymentIntent(id: "pi_x", context: context) }
        let answers = sink.recorded
        #expect(answers.map(\.key) == ["payments.createCheckoutSession", "payments.createPaymentIntent", "payments.retrievePaymentIntent"])
        #expect(answers[0].result["id"] == "cs_live_1" && answers[0].result["amount_total"] == 2500)
        #expect(answers[2].error?.kind == .notFound && answers[2].error?.status == 404)
        let text = JSON.array(answers.map(\.json)).serialized()
        #expect(!text.contains("secret"), "\(text)")
        // The JSON form reads back as it was.
        #expect(answers.map(\.json).compactMap(ProviderAnswer.init(json:)) == answers)
    }

    @Test func replaying_answersInOrderPerOperation_thenAsksTheFallback() async throws {
        let recorded = [
            ProviderAnswer(role: "payments", operation: "createCheckoutSession", result: ["id": "cs_recorded_1", "url": "https://r/1"]),
            ProviderAnswer(role: "payments", operation: "createCheckoutSession", result: ["id": "cs_recorded_2", "url": "https://r/2"]),
            ProviderAnswer(role: "payments", operation: "retrievePaymentIntent",
                           error: ProviderError(kind: .retryable, provider: "stripe", operation: "retrievePaymentIntent", status: 503, message: "down")),
        ]
        let book = AnswerBook()
        let id = InteractionID("int_01M80FXS36ECQZZCK8T5BYW5FB")!
        book.add(RecordedAnswers(recorded), for: id)
        let fallback = Payments()
        let providers = ReplayingProviders.wrap(TenantProviders(payments: fallback), book: book)
        let context = CallContext(tenant: "acme", idempotencyKey: "\(id):deposit#0")
        #expect(try await providers.payments!.createCheckoutSession(Self.checkout, context: context).id == "cs_recorded_1")
        #expect(try await providers.payments!.createCheckoutSession(Self.checkout, context: context).id == "cs_recorded_2")
        #expect(fallback.calls.load(ordering: .relaxed) == 0)
        #expect(try await providers.payments!.createCheckoutSession(Self.checkout, context: context).id == "cs_live_1", "not recorded: the fallback")
        await #expect(throws: ProviderError(kind: .retryable, provider: "stripe", operation: "retrievePaymentIntent", status: 503, message: "down")) {
            _ = try await providers.payments!.retrievePaymentIntent(id: "pi_1", context: context)
        }
        #expect(book.answers(for: id)?.missing == ["payments.createCheckoutSession"])
        #expect(book.answers(for: id)?.used == 3)

        // Another interaction's calls never take this one's answers.
        let other = CallContext(tenant: "acme", idempotencyKey: "int_01M80FXS6E4Q5E5XJ5FCYN6YAF:deposit#0")
        #expect(try await providers.payments!.createCheckoutSession(Self.checkout, context: other).id == "cs_live_2")
    }

    @Test func replaying_aWriteToAnObjectOnlyTheRecordingKnows_isASuccess() async throws {
        let book = AnswerBook()
        let id = InteractionID("int_01M80FXS36ECQZZCK8T5BYW5FB")!
        book.add(RecordedAnswers([ProviderAnswer(role: "payments", operation: "createPaymentIntent",
                                                 result: ["id": "pi_recorded", "status": "succeeded", "amount": 100, "currency": "usd"])]),
                 for: id)
        let providers = ReplayingProviders.wrap(TenantProviders(payments: Payments()), book: book)
        let context = CallContext(tenant: "acme", idempotencyKey: "\(id):refund#0")
        let refund = try await providers.payments!.createRefund(RefundRequest(paymentIntent: "pi_recorded", amount: 50), context: context)
        #expect(refund.amount == 50 && refund.paymentIntent == "pi_recorded")
        await #expect(throws: ProviderError.self, "an object nobody recorded stays unknown") {
            _ = try await providers.payments!.createRefund(RefundRequest(paymentIntent: "pi_unknown"), context: context)
        }
    }

    @Test func genericSystemCalls_areRecordedAndReplayedLikeTheRoles() async throws {
        let id = InteractionID("int_01M80FXS36ECQZZCK8T5BYW5FB")!
        let sink = Sink()
        let recording = RecordingProviders.wrap(TenantProviders())
        let context = CallContext(tenant: "acme", idempotencyKey: "\(id):stock#0", recorder: sink)
        let answer = try await recording.systemCall("inventory", "check", context) { ["in_stock": true, "count": 3] }
        #expect(answer == ["in_stock": true, "count": 3])
        await #expect(throws: ProviderError.self) {
            _ = try await recording.systemCall("inventory", "reserve", context) {
                throw ProviderError(kind: .notFound, provider: "http", operation: "reserve", status: 404, message: "no such item")
            }
        }
        #expect(sink.recorded.map(\.key) == ["http.inventory.check", "http.inventory.reserve"])
        #expect(sink.recorded[0].result == ["in_stock": true, "count": 3] && sink.recorded[1].error?.status == 404)

        // Replayed: the recording answers and the system is not called; what was not recorded is.
        let book = AnswerBook()
        book.add(RecordedAnswers(sink.recorded), for: id)
        let replaying = ReplayingProviders.wrap(TenantProviders(), book: book)
        let calls = Atomic<Int>(0)
        let live: @Sendable () async throws -> JSON = { calls.add(1, ordering: .relaxed); return ["in_stock": false] }
        #expect(try await replaying.systemCall("inventory", "check", context, live) == ["in_stock": true, "count": 3])
        await #expect(throws: ProviderError.self) { _ = try await replaying.systemCall("inventory", "reserve", context, live) }
        #expect(calls.load(ordering: .relaxed) == 0)
        #expect(try await replaying.systemCall("inventory", "check", context, live) == ["in_stock": false])
        #expect(calls.load(ordering: .relaxed) == 1)
        #expect(book.answers(for: id)?.missing == ["http.inventory.check"])
    }
}
