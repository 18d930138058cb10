import HTTP
import Model

/// Stripe objects as the API returns them (the `payment_intent`, `checkout.session` and `refund`
/// schemas in stripe.openapi.json, required fields included).
enum StripeObjects {
    static func paymentIntent(id: String, amount: Int64, currency: String, description: String?, receiptEmail: String?,
                              metadata: JSON, created: Int64) -> JSON {
        var object: JSONObject = [
            "id": .string(id), "object": "payment_intent", "amount": .int(amount), "amount_capturable": 0, "amount_received": 0,
            "automatic_payment_methods": ["enabled": true], "capture_method": "automatic",
            "client_secret": .string("\(id)_secret_\(SandboxIDs.alphanumeric("", length: 24))"),
            "confirmation_method": "automatic", "created": .int(created), "currency": .string(currency),
            "livemode": false, "metadata": metadata, "payment_method": .null, "payment_method_types": ["card"],
            "status": "requires_payment_method",
        ]
        object["description"] = description.map { .string($0) } ?? .null
        object["receipt_email"] = receiptEmail.map { .string($0) } ?? .null
        return .object(object)
    }

    static func checkoutSession(id: String, url: String, amountTotal: Int64, currency: String, customerEmail: String?,
                                metadata: JSON, mode: String, successURL: String, cancelURL: String?, paymentIntent: String?,
                                created: Int64) -> JSON {
        var object: JSONObject = [
            "id": .string(id), "object": "checkout.session", "amount_subtotal": .int(amountTotal), "amount_total": .int(amountTotal),
            "automatic_tax": ["enabled": false, "status": .null], "currency": .string(currency), "expires_at": .int(created + 86_400),
            "livemode": false, "metadata": metadata, "mode": .string(mode), "payment_method_types": ["card"],
            "payment_status": "unpaid", "shipping_options": [], "status": "open", "success_url": .string(successURL), "url": .string(url),
        ]
        object["cancel_url"] = cancelURL.map { .string($0) } ?? .null
        object["customer_email"] = customerEmail.map { .string($0) } ?? .null
        object["payment_intent"] = paymentIntent.map { .string($0) } ?? .null
        return .object(object)
    }

    static func refund(id: String, amount: Int64, currency: String, paymentIntent: String, reason: String?, metadata: JSON,
                       created: Int64) -> JSON {
        var object: JSONObject = [
            "id": .string(id), "object": "refund", "amount": .int(amount), "charge": .string(SandboxIDs.alphanumeric("ch_")),
            "created": .int(created), "currency": .string(currency), "metadata": metadata, "payment_intent": .string(paymentIntent),
            "status": "succeeded",
        ]
        object["reason"] = reason.map { .string($0) } ?? .null
        return .object(object)
    }

    /// `{"id":"evt_…","object":"event","type":…,"data":{"object":…}}`.
    static func event(type: String, object: JSON, created: Int64) -> JSON {
        ["id": .string(SandboxIDs.alphanumeric("evt_")), "object": "event", "api_version": "2020-08-27", "created": .int(created),
         "data": ["object": object], "livemode": false, "pending_webhooks": 1,
         "request": ["id": .null, "idempotency_key": .null], "type": .string(type)]
    }

    /// `{"error":{"type","code","message","param"}}` with its status.
    static func error(_ status: Int, type: String = "invalid_request_error", code: String? = nil, message: String,
                      param: String? = nil) -> SandboxAnswer {
        var error: JSONObject = ["message": .string(message), "type": .string(type)]
        if let code {
            error["code"] = .string(code)
            error["doc_url"] = .string("https://stripe.com/docs/error-codes/\(code.replacing("_", with: "-"))")
        }
        if let param { error["param"] = .string(param) }
        return SandboxAnswer(.json(["error": .object(error)], status: HTTPStatus(status)))
    }
}
