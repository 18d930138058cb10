import HTTP
import Model

extension StripeSimulator {
    func createPaymentIntent(_ store: inout StripeStore, account: String, form: FormFields, key: String?) throws -> JSON {
        let params = form.nested
        let amount = try Self.amount(params, "amount")
        let currency = try Self.currency(params["currency"]?.stringValue, param: "currency")
        let id = SandboxIDs.alphanumeric("pi_")
        var intent = StripeObjects.paymentIntent(id: id, amount: amount, currency: currency, description: params["description"]?.stringValue,
                                                 receiptEmail: params["receipt_email"]?.stringValue,
                                                 metadata: params["metadata"] ?? .object(JSONObject()), created: SandboxTime.unixSeconds())
        // Test payment methods as Stripe documents them: pm_card_visa succeeds, pm_card_chargeDeclined declines.
        if params["confirm"]?.stringValue == "true", let method = params["payment_method"]?.stringValue {
            if method.contains("Declined") {
                throw StripeObjects.error(402, type: "card_error", code: "card_declined", message: "Your card was declined.")
            }
            intent["status"] = "succeeded"
            intent["amount_received"] = .int(amount)
            intent["payment_method"] = .string(method)
        }
        store.insert(intent, account: account, key: key)
        return intent
    }

    func createCheckoutSession(_ store: inout StripeStore, account: String, form: FormFields, key: String?) throws -> JSON {
        let params = form.nested
        guard let successURL = params["success_url"]?.stringValue else {
            throw StripeObjects.error(400, code: "parameter_missing", message: "Missing required param: success_url.", param: "success_url")
        }
        let mode = params["mode"]?.stringValue ?? "payment"
        guard mode == "payment" else {
            throw StripeObjects.error(400, code: "parameter_invalid_string", message: "The sandbox supports mode=payment only.", param: "mode")
        }
        guard let items = params["line_items"]?.arrayValue, !items.isEmpty else {
            throw StripeObjects.error(400, code: "parameter_missing", message: "Missing required param: line_items.", param: "line_items")
        }
        var total: Int64 = 0
        var currency: String?
        for (index, item) in items.enumerated() {
            let quantity = Int64(item["quantity"]?.stringValue ?? "") ?? 0
            guard quantity > 0 else {
                throw StripeObjects.error(400, code: "parameter_missing", message: "Missing required param: line_items[\(index)][quantity].",
                                          param: "line_items[\(index)][quantity]")
            }
            guard let data = item["price_data"] else {
                throw StripeObjects.error(400, code: "parameter_missing",
                                          message: "You must specify either `price` or `price_data` in line_items[\(index)].",
                                          param: "line_items[\(index)]")
            }
            let unit = try Self.amount(data, "unit_amount", param: "line_items[\(index)][price_data][unit_amount]")
            let itemCurrency = try Self.currency(data["currency"]?.stringValue, param: "line_items[\(index)][price_data][currency]")
            guard data.value(at: "product_data.name")?.stringValue?.isEmpty == false || data["product"] != nil else {
                throw StripeObjects.error(400, code: "parameter_missing",
                                          message: "Missing required param: line_items[\(index)][price_data][product_data][name].",
                                          param: "line_items[\(index)][price_data][product_data][name]")
            }
            if let currency, currency != itemCurrency {
                throw StripeObjects.error(400, message: "All line items must use the same currency.", param: "line_items")
            }
            currency = itemCurrency
            total += unit * quantity
        }
        let now = SandboxTime.unixSeconds()
        // API version 2020-08-27 creates the session's PaymentIntent with the session.
        let intentID = SandboxIDs.alphanumeric("pi_")
        let intent = StripeObjects.paymentIntent(id: intentID, amount: total, currency: currency ?? "usd", description: nil,
                                                 receiptEmail: params["customer_email"]?.stringValue,
                                                 metadata: params.value(at: "payment_intent_data.metadata") ?? .object(JSONObject()), created: now)
        store.insert(intent, account: account, key: nil)
        let id = SandboxIDs.alphanumeric("cs_test_", length: 58)
        let session = StripeObjects.checkoutSession(id: id, url: "\(context.baseURL)/sandbox/checkout/\(id)", amountTotal: total,
                                                    currency: currency ?? "usd", customerEmail: params["customer_email"]?.stringValue,
                                                    metadata: params["metadata"] ?? .object(JSONObject()), mode: mode, successURL: successURL,
                                                    cancelURL: params["cancel_url"]?.stringValue, paymentIntent: intentID, created: now)
        store.insert(session, account: account, key: key)
        return session
    }

    /// `POST /v1/checkout/sessions/{id}/expire`: only an open session can be expired; its
    /// PaymentIntent is canceled with it.
    func expireCheckoutSession(_ store: inout StripeStore, account: String, id: String) throws -> JSON {
        guard let session = store.object(id, account: account, type: "checkout.session") else {
            throw StripeObjects.error(404, code: "resource_missing", message: "No such checkout.session: '\(id)'", param: "session")
        }
        guard session["status"]?.stringValue == "open" else {
            throw StripeObjects.error(400, message: "Only Checkout Sessions with a status in [\"open\"] can be expired.")
        }
        store.update(id) { $0["status"] = "expired" }
        if let intent = session["payment_intent"]?.stringValue { store.update(intent) { $0["status"] = "canceled" } }
        return store.objects[id]?.json ?? session
    }

    func createRefund(_ store: inout StripeStore, account: String, form: FormFields, key: String?) throws -> JSON {
        let params = form.nested
        guard let intentID = params["payment_intent"]?.stringValue else {
            throw StripeObjects.error(400, code: "parameter_missing", message: "Missing required param: payment_intent.", param: "payment_intent")
        }
        guard let intent = store.object(intentID, account: account, type: "payment_intent") else {
            throw StripeObjects.error(400, code: "resource_missing", message: "No such payment_intent: '\(intentID)'", param: "payment_intent")
        }
        guard intent["status"]?.stringValue == "succeeded", let received = intent["amount_received"]?.intValue else {
            throw StripeObjects.error(400, code: "charge_not_refundable",
                                      message: "This PaymentIntent (\(intentID)) does not have a successful charge to refund.")
        }
        let remaining = received - store.refundedByIntent[intentID, default: 0]
        let amount = params["amount"] == nil ? remaining : try Self.amount(params, "amount")
        guard amount <= remaining, amount > 0 else {
            throw StripeObjects.error(400, code: "amount_too_large",
                                      message: "Refund amount (\(amount)) is greater than unrefunded amount on charge (\(remaining))", param: "amount")
        }
        let reason = params["reason"]?.stringValue
        if let reason, !["duplicate", "fraudulent", "requested_by_customer"].contains(reason) {
            throw StripeObjects.error(400, code: "parameter_invalid_string",
                                      message: "Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer", param: "reason")
        }
        let refund = StripeObjects.refund(id: SandboxIDs.alphanumeric("re_"), amount: amount, currency: intent["currency"]?.stringValue ?? "usd",
                                          paymentIntent: intentID, reason: reason, metadata: params["metadata"] ?? .object(JSONObject()),
                                          created: SandboxTime.unixSeconds())
        store.refundedByIntent[intentID, default: 0] += amount
        store.insert(refund, account: account, key: key)
        return refund
    }

    static func amount(_ params: JSON, _ name: String, param: String? = nil) throws -> Int64 {
        guard let text = params[name]?.stringValue else {
            throw StripeObjects.error(400, code: "parameter_missing", message: "Missing required param: \(param ?? name).", param: param ?? name)
        }
        guard let value = Int64(text), value > 0 else {
            throw StripeObjects.error(400, code: "parameter_invalid_integer", message: "Invalid integer: \(text)", param: param ?? name)
        }
        return value
    }

    static func currency(_ value: String?, param: String) throws -> String {
        guard let value else {
            throw StripeObjects.error(400, code: "parameter_missing", message: "Missing required param: \(param).", param: param)
        }
        guard value.count == 3, value.allSatisfy({ $0.isLowercase && $0.isLetter }) else {
            throw StripeObjects.error(400, code: "parameter_invalid_string", message: "Invalid currency: \(value).", param: param)
        }
        return value
    }
}
