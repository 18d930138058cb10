import HTTP
import Model
import Synchronization

/// Simulated Stripe under `/stripe`: PaymentIntents, Checkout Sessions and Refunds, with Stripe's
/// authentication, parameter checks, error bodies and Idempotency-Key semantics.
final class StripeSimulator: Sendable {
    let store = Mutex(StripeStore())
    let context: SandboxContext

    // Top-level parameters each endpoint accepts (stripe.openapi.json); Stripe refuses others.
    static let paymentIntentParameters: Set<String> = [
        "amount", "application_fee_amount", "automatic_payment_methods", "capture_method", "confirm", "confirmation_method", "currency",
        "customer", "description", "error_on_requires_action", "expand", "mandate", "mandate_data", "metadata", "off_session",
        "on_behalf_of", "payment_method", "payment_method_data", "payment_method_options", "payment_method_types", "receipt_email",
        "return_url", "setup_future_usage", "shipping", "statement_descriptor", "statement_descriptor_suffix", "transfer_data",
        "transfer_group", "use_stripe_sdk",
    ]
    static let refundParameters: Set<String> = [
        "amount", "charge", "expand", "metadata", "payment_intent", "reason", "refund_application_fee", "reverse_transfer",
    ]
    static let checkoutSessionParameters: Set<String> = [
        "after_expiration", "allow_promotion_codes", "automatic_tax", "billing_address_collection", "cancel_url", "client_reference_id",
        "consent_collection", "customer", "customer_creation", "customer_email", "customer_update", "discounts", "expand", "expires_at",
        "line_items", "locale", "metadata", "mode", "payment_intent_data", "payment_method_options", "payment_method_types",
        "phone_number_collection", "setup_intent_data", "shipping_address_collection", "shipping_options", "submit_type",
        "subscription_data", "success_url", "tax_id_collection",
    ]

    init(context: SandboxContext) {
        self.context = context
    }

    func register(on routes: RouterBuilder) {
        let faults = context.faults
        routes.add(.post, "/stripe/v1/payment_intents", faults.guarded(.stripe) { [self] request in
            try keyed(request, allowed: Self.paymentIntentParameters) { store, account, form, key in
                try self.createPaymentIntent(&store, account: account, form: form, key: key)
            }
        })
        routes.add(.get, "/stripe/v1/payment_intents/{id}", faults.guarded(.stripe) { [self] request in
            let account = try Self.account(request)
            let id = request.parameters["id"] ?? ""
            guard let object = store.withLock({ $0.object(id, account: account, type: "payment_intent") }) else {
                throw StripeObjects.error(404, code: "resource_missing", message: "No such payment_intent: '\(id)'", param: "intent")
            }
            return .json(object)
        })
        routes.add(.post, "/stripe/v1/checkout/sessions", faults.guarded(.stripe) { [self] request in
            try keyed(request, allowed: Self.checkoutSessionParameters) { store, account, form, key in
                try self.createCheckoutSession(&store, account: account, form: form, key: key)
            }
        })
        routes.add(.get, "/stripe/v1/checkout/sessions/{id}", faults.guarded(.stripe) { [self] request in
            let account = try Self.account(request)
            let id = request.parameters["id"] ?? ""
            guard let object = store.withLock({ $0.object(id, account: account, type: "checkout.session") }) else {
                throw StripeObjects.error(404, code: "resource_missing", message: "No such checkout.session: '\(id)'", param: "session")
            }
            return .json(object)
        })
        // Not in the extracted spec; as Stripe documents it: an open session stops accepting payment.
        routes.add(.post, "/stripe/v1/checkout/sessions/{id}/expire", faults.guarded(.stripe) { [self] request in
            let id = request.parameters["id"] ?? ""
            return try keyed(request, allowed: ["expand"]) { store, account, _, _ in try self.expireCheckoutSession(&store, account: account, id: id) }
        })
        routes.add(.post, "/stripe/v1/refunds", faults.guarded(.stripe) { [self] request in
            try keyed(request, allowed: Self.refundParameters) { store, account, form, key in
                try self.createRefund(&store, account: account, form: form, key: key)
            }
        })
    }

    /// The account a request authenticates as: `Bearer sk_…` or Basic with the key as user.
    static func account(_ request: HTTPRequest) throws -> String {
        guard let key = request.bearerToken ?? request.basicCredentials?.user, !key.isEmpty else {
            throw StripeObjects.error(401, message: "You did not provide an API key. You need to provide your API key in the Authorization "
                                      + "header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').")
        }
        let valid = ["sk_test_", "sk_live_", "rk_test_", "rk_live_"].contains { key.hasPrefix($0) } && key.count > 12
            && !key.contains("revoked")
        guard valid else {
            throw StripeObjects.error(401, message: "Invalid API Key provided: \(key.prefix(8))****\(key.suffix(4))")
        }
        return key
    }

    /// Runs a POST the way Stripe does with `Idempotency-Key`: the same key and parameters replay
    /// the first answer (status and body); the same key with other parameters is refused; answers
    /// of requests that failed validation are not kept.
    private func keyed(_ request: HTTPRequest, allowed: Set<String>,
                       _ create: (inout StripeStore, String, FormFields, String?) throws -> JSON) throws -> HTTPResponse {
        let account = try Self.account(request)
        guard let form = FormFields(request.body) else {
            throw StripeObjects.error(400, message: "Invalid request: the body is not valid application/x-www-form-urlencoded")
        }
        if let unknown = form.nested.objectValue?.keys.first(where: { !allowed.contains($0) }) {
            throw StripeObjects.error(400, code: "parameter_unknown", message: "Received unknown parameter: \(unknown)", param: unknown)
        }
        let key = request.headers["Idempotency-Key"]
        if let key, key.utf8.count > 255 {
            throw StripeObjects.error(400, message: "Idempotency-Key header is too long: keys must be at most 255 characters.")
        }
        let fingerprint = "\(request.path)?\(form.fingerprint)"
        return try store.withLock { store in
            if let key, let record = store.records[StripeStore.recordKey(account: account, key: key)] {
                guard record.fingerprint == fingerprint else {
                    throw StripeObjects.error(400, type: "idempotency_error",
                                              message: "Keys for idempotent requests can only be used with the same parameters they were first "
                                                + "used with. Try using a key other than '\(key)' if you meant to execute a different request.")
                }
                return HTTPResponse(status: HTTPStatus(record.status),
                                    headers: [("Content-Type", "application/json"), ("Idempotent-Replayed", "true"), ("Idempotency-Key", key)],
                                    body: record.body)
            }
            let response: HTTPResponse
            do {
                response = HTTPResponse.json(try create(&store, account, form, key))
            } catch let answer as SandboxAnswer where answer.response.status.code == 402 {
                // A declined card happened during execution: Stripe keeps that answer for the key.
                response = answer.response
            }
            if let key {
                store.records[StripeStore.recordKey(account: account, key: key)] =
                    StripeStore.IdempotencyRecord(fingerprint: fingerprint, status: response.status.code, body: response.body)
            }
            return response
        }
    }
}
