import Model
import Native
import Synchronization

extension StripeSimulator {
    /// The customer pays a Checkout Session: the session completes, its PaymentIntent succeeds,
    /// and `checkout.session.completed` then `payment_intent.succeeded` go to the account's target.
    func payCheckoutSession(_ id: String) async throws -> JSON {
        let found = store.withLock { store -> (String, JSON, JSON?)? in
            guard let object = store.objects[id], object.json["object"]?.stringValue == "checkout.session" else { return nil }
            guard object.json["status"]?.stringValue == "open" else { return (object.account, object.json, nil) }
            var intent: JSON?
            if let intentID = object.json["payment_intent"]?.stringValue {
                store.update(intentID) { json in
                    json["status"] = "succeeded"
                    json["amount_received"] = json["amount"] ?? 0
                    json["payment_method"] = .string(SandboxIDs.alphanumeric("pm_"))
                }
                intent = store.objects[intentID]?.json
            }
            store.update(id) { json in
                json["status"] = "complete"
                json["payment_status"] = "paid"
            }
            return (object.account, store.objects[id]!.json, intent)
        }
        guard let (account, session, intent) = found else { throw SandboxError.notFound("no checkout session \(id)") }
        guard let intent else { throw SandboxError(status: 409, message: "checkout session \(id) is not open") }
        var deliveries: [JSON] = []
        deliveries.append(await send("checkout.session.completed", session, account: account))
        deliveries.append(await send("payment_intent.succeeded", intent, account: account))
        return ["session": session, "payment_intent": intent, "deliveries": .array(deliveries)]
    }

    /// A PaymentIntent created through the API succeeds (the customer confirmed it client-side).
    func succeedPaymentIntent(_ id: String) async throws -> JSON {
        let found = store.withLock { store -> (String, JSON)? in
            guard let object = store.objects[id], object.json["object"]?.stringValue == "payment_intent" else { return nil }
            store.update(id) { json in
                json["status"] = "succeeded"
                json["amount_received"] = json["amount"] ?? 0
            }
            return (object.account, store.objects[id]!.json)
        }
        guard let (account, intent) = found else { throw SandboxError.notFound("no payment intent \(id)") }
        let delivery = await send("payment_intent.succeeded", intent, account: account)
        return ["payment_intent": intent, "deliveries": [delivery]]
    }

    /// Sends one signed event; the answer says where it went and what came back.
    private func send(_ type: String, _ object: JSON, account: String) async -> JSON {
        guard let target = context.webhooks.target(.stripe, account: account) else {
            return ["type": .string(type), "delivered": false, "error": "no stripe webhook target registered"]
        }
        let now = Clock.unixSeconds()
        let body = StripeObjects.event(type: type, object: object, created: now).serializedBytes()
        let delivery = await context.webhooks.deliver(to: target.url, body: body, headers: [
            ("Content-Type", "application/json; charset=utf-8"),
            ("Stripe-Signature", WebhookSignatures.stripe(secret: target.secret, timestamp: now, body: body)),
            ("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"),
        ])
        var json = delivery.json
        json["type"] = .string(type)
        json["delivered"] = .bool(delivery.status.map { (200..<300).contains($0) } ?? false)
        return json
    }
}
