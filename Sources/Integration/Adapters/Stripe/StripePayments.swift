import Model

/// `PaymentsProvider` over Stripe's API: form-encoded bodies with bracket nesting, a Bearer
/// secret key, and an `Idempotency-Key` on every POST derived from the call context.
///
/// ```swift
/// let stripe = StripePayments(configuration: .init(baseURL: "https://api.stripe.com", secretKey: key), runtime: runtime)
/// let session = try await stripe.createCheckoutSession(request, context: context)
/// ```
public struct StripePayments: PaymentsProvider {
    public struct Configuration: Sendable {
        /// `https://api.stripe.com`, or the sandbox's `<base>/stripe`.
        public var baseURL: String
        /// `sk_live_…` or `sk_test_…` (a restricted `rk_…` key works too).
        public var secretKey: String
        /// The integration's name: resilience state and metrics are kept per tenant and name.
        public var name: String
        public var policy: ResiliencePolicy
        /// Pins the API version (`Stripe-Version`); nil uses the account's default.
        public var apiVersion: String?
        public var caFile: String?

        public init(baseURL: String, secretKey: String, name: String = "stripe", policy: ResiliencePolicy = .stripe,
                    apiVersion: String? = nil, caFile: String? = nil) {
            self.baseURL = baseURL
            self.secretKey = secretKey
            self.name = name
            self.policy = policy
            self.apiVersion = apiVersion
            self.caFile = caFile
        }
    }

    public let configuration: Configuration
    let runtime: IntegrationRuntime

    public init(configuration: Configuration, runtime: IntegrationRuntime) {
        self.configuration = configuration
        self.runtime = runtime
    }

    public func createCheckoutSession(_ request: CheckoutSessionRequest, context: CallContext) async throws -> CheckoutSession {
        var form = FormBody()
        form.append("mode", "payment")
        form.append("line_items[0][price_data][currency]", request.currency.lowercased())
        form.append("line_items[0][price_data][unit_amount]", request.amount)
        form.append("line_items[0][price_data][product_data][name]", request.description)
        form.append("line_items[0][quantity]", "1")
        form.append("success_url", request.successURL)
        form.append("cancel_url", request.cancelURL)
        form.append("customer_email", ifPresent: request.customerEmail)
        form.append("metadata", map: request.metadata)
        form.append("payment_intent_data[metadata]", map: request.metadata)
        return try await post("/v1/checkout/sessions", form, operation: "createCheckoutSession", context: context, decode: Self.session)
    }

    public func retrieveCheckoutSession(id: String, context: CallContext) async throws -> CheckoutSession {
        var request = makeRequest("GET", "/v1/checkout/sessions/" + FormBody.percentEncode(id))
        request.authorize(.bearer(configuration.secretKey))
        let operation = makeOperation("retrieveCheckoutSession", safety: .idempotent, key: nil)
        return try await runtime.perform(operation, request, context: context) { response in
            Self.interpret(response, operation: operation.name, decode: Self.session)
        }
    }

    public func expireCheckoutSession(id: String, context: CallContext) async throws -> CheckoutSession {
        try await post("/v1/checkout/sessions/" + FormBody.percentEncode(id) + "/expire", FormBody(), operation: "expireCheckoutSession",
                       context: context, decode: Self.session)
    }

    public func createPaymentIntent(_ request: PaymentIntentRequest, context: CallContext) async throws -> PaymentIntent {
        var form = FormBody()
        form.append("amount", request.amount)
        form.append("currency", request.currency.lowercased())
        form.append("description", ifPresent: request.description)
        form.append("receipt_email", ifPresent: request.receiptEmail)
        form.append("automatic_payment_methods[enabled]", "true")
        form.append("metadata", map: request.metadata)
        return try await post("/v1/payment_intents", form, operation: "createPaymentIntent", context: context, decode: Self.paymentIntent)
    }

    public func retrievePaymentIntent(id: String, context: CallContext) async throws -> PaymentIntent {
        let path = "/v1/payment_intents/" + FormBody.percentEncode(id)
        var request = makeRequest("GET", path)
        request.authorize(.bearer(configuration.secretKey))
        let operation = makeOperation("retrievePaymentIntent", safety: .idempotent, key: nil)
        return try await runtime.perform(operation, request, context: context) { response in
            Self.interpret(response, operation: operation.name, decode: Self.paymentIntent)
        }
    }

    public func createRefund(_ request: RefundRequest, context: CallContext) async throws -> Refund {
        var form = FormBody()
        form.append("payment_intent", request.paymentIntent)
        if let amount = request.amount { form.append("amount", amount) }
        form.append("reason", ifPresent: request.reason?.rawValue)
        form.append("metadata", map: request.metadata)
        return try await post("/v1/refunds", form, operation: "createRefund", context: context) { json in
            guard let id = json["id"]?.stringValue, let amount = json["amount"]?.intValue else { return nil }
            return Refund(id: id, status: json["status"]?.stringValue, amount: amount, paymentIntent: Self.id(json["payment_intent"]))
        }
    }

    private func post<Value: Sendable>(_ path: String, _ form: FormBody, operation name: String, context: CallContext,
                                       decode: @escaping @Sendable (JSON) -> Value?) async throws -> Value {
        let key = context.idempotencyKey(for: "stripe.\(name)")
        var request = makeRequest("POST", path)
        request.setForm(form)
        request.authorize(.bearer(configuration.secretKey))
        // > Idempotency-Key ... the same key with the same parameters returns the first result
        // > (status and body), so a retry or a re-run step never creates a second object.
        request.setHeader("Idempotency-Key", key)
        let operation = makeOperation(name, safety: .idempotencyKeyed, key: key)
        return try await runtime.perform(operation, request, context: context) { response in
            Self.interpret(response, operation: name, decode: decode)
        }
    }

    private func makeRequest(_ method: String, _ path: String) -> HTTPClient.Request {
        var request = HTTPClient.Request(method: method, url: ProviderAnswer.join(configuration.baseURL, path), caFile: configuration.caFile)
        if let version = configuration.apiVersion { request.setHeader("Stripe-Version", version) }
        return request
    }

    private func makeOperation(_ name: String, safety: RetrySafety, key: String?) -> ProviderOperation {
        ProviderOperation(provider: "stripe", integration: configuration.name, name: name, safety: safety,
                          policy: configuration.policy, secrets: [configuration.secretKey], idempotencyKey: key)
    }

    static func session(_ json: JSON) -> CheckoutSession? {
        guard let id = json["id"]?.stringValue else { return nil }
        return CheckoutSession(id: id, url: json["url"]?.stringValue, status: json["status"]?.stringValue,
                               paymentStatus: json["payment_status"]?.stringValue,
                               paymentIntent: Self.id(json["payment_intent"]), amountTotal: json["amount_total"]?.intValue)
    }

    static func paymentIntent(_ json: JSON) -> PaymentIntent? {
        guard let id = json["id"]?.stringValue, let status = json["status"]?.stringValue else { return nil }
        return PaymentIntent(id: id, status: status, amount: json["amount"]?.intValue ?? 0,
                             currency: json["currency"]?.stringValue ?? "", clientSecret: json["client_secret"]?.stringValue,
                             metadata: ProviderAnswer.strings(json["metadata"]))
    }

    /// An expandable field: the id string, or the expanded object's `id`.
    static func id(_ json: JSON?) -> String? {
        json?.stringValue ?? json?["id"]?.stringValue
    }
}
