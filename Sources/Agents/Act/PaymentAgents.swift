import Integration
import Model

/// `payments.deposit_link`: a Stripe Checkout Session for the deposit, with the interaction and
/// booking in its metadata so the payment webhook finds its way back. Stripe's Idempotency-Key
/// (from the step) makes a re-run return the same session.
public struct DepositLinkAgent: Agent {
    public let name = "payments.deposit_link"
    public let hasEffects = true

    public init() {}

    public func run(_ input: StepInput) async -> StepResult {
        guard let payments = input.providers.payments else { return .outcome(.error, "no payments integration", reasons: []) }
        // A series pays the deposit of every occurrence up front, in one payment; each cancelled
        // occurrence gets its share back by the cancellation policy (`payments.refund`).
        let occurrences = max(1, input.value("booking.occurrences")?.arrayValue?.count ?? 1)
        let amount = (input.value("price.deposit")?.intValue ?? 0) * Int64(occurrences)
        guard amount > 0 else {
            return .ok("no deposit due", reasons: ["the service takes no deposit"],
                       delta: ["payment": ["amount": 0, "checkout_url": "", "session_id": ""]])
        }
        let currency = (input.string("price.currency") ?? input.config.identity.currency.code).lowercased()
        let serviceName = input.string("service.name") ?? "booking"
        var metadata = ["interaction_id": input.interaction.id.rawValue, "tenant": input.config.id.rawValue]
        if let booking = input.string("booking.id") { metadata["booking_id"] = booking }
        let base = "\(input.publicURL)/v1/tenants/\(input.config.id.rawValue)/checkout/\(input.interaction.id.rawValue)"
        let description = "Deposit — \(serviceName)" + (occurrences > 1 ? " × \(occurrences)" : "")
        let request = CheckoutSessionRequest(amount: amount, currency: currency, description: description,
                                             customerEmail: input.string("customer.email") ?? input.interaction.from.email,
                                             metadata: metadata, successURL: base + "/paid", cancelURL: base + "/cancelled")
        do {
            let session = try await payments.createCheckoutSession(request, context: input.callContext)
            return .ok("deposit link for \(Money(minorUnits: amount, currency: input.config.identity.currency).formatted)",
                       reasons: ["checkout session \(session.id)"],
                       delta: ["payment": ["checkout_url": .string(session.url ?? ""), "session_id": .string(session.id),
                                           "amount": .int(amount), "status": "pending"]])
        } catch {
            return .failure("could not create the deposit link", error: error)
        }
    }
}

/// `payments.charge`: a PaymentIntent for the quoted total (idempotent through Stripe's key).
public struct ChargeAgent: Agent {
    public let name = "payments.charge"
    public let hasEffects = true

    public init() {}

    public func run(_ input: StepInput) async -> StepResult {
        guard let payments = input.providers.payments else { return .outcome(.error, "no payments integration", reasons: []) }
        guard let amount = input.value("price.total")?.intValue, amount > 0 else {
            return .outcome(.error, "nothing to charge", reasons: ["no priced total in the context"])
        }
        let currency = (input.string("price.currency") ?? input.config.identity.currency.code).lowercased()
        let request = PaymentIntentRequest(amount: amount, currency: currency, description: input.string("service.name"),
                                           receiptEmail: input.string("customer.email"),
                                           metadata: ["interaction_id": input.interaction.id.rawValue, "tenant": input.config.id.rawValue])
        do {
            let intent = try await payments.createPaymentIntent(request, context: input.callContext)
            return .ok("payment intent \(intent.id) is \(intent.status)",
                       delta: ["payment": ["intent_id": .string(intent.id), "status": .string(intent.status), "amount": .int(intent.amount)]])
        } catch let error as ProviderError where error.kind == .permanent && error.status == 402 {
            return .outcome(.declined, "the payment was declined", reasons: [error.description])
        } catch {
            return .failure("could not charge", error: error)
        }
    }
}

/// `payments.mark_paid`: a payment webhook names the interaction it pays for (metadata); that
/// interaction is marked paid and its customer, service and booking come into this context.
public struct MarkPaidAgent: Agent {
    public let name = "payments.mark_paid"
    public let hasEffects = true

    public init() {}

    public func run(_ input: StepInput) async -> StepResult {
        guard let payload = input.interaction.event?.payload else {
            return .outcome(.notFound, "not a payment event", reasons: ["the interaction carries no provider event"])
        }
        let amount = payload["amount_received"]?.intValue ?? payload["amount_total"]?.intValue ?? payload["amount"]?.intValue ?? 0
        let intent = payload["payment_intent"]?.stringValue ?? (payload["object"] == "payment_intent" ? payload["object_id"]?.stringValue : nil)
        let payment: JSONObject = ["status": "paid", "amount": .int(amount), "intent_id": intent.map { .string($0) } ?? .null]
        guard let originalID = payload.value(at: "metadata.interaction_id")?.stringValue.flatMap(InteractionID.init),
              let original = await input.ledger.context(of: originalID) else {
            return .outcome(.notFound, "payment not matched to a booking", reasons: ["no known interaction in the payment's metadata"],
                            delta: ["payment": .object(payment)])
        }
        do {
            try await input.ledger.annotate(originalID, with: ["payment": .object(payment)])
        } catch {
            return .outcome(.notFound, "could not record the payment on \(originalID)", reasons: [ProviderFailure.describe(error)])
        }
        var delta: JSONObject = ["payment": .object(payment), "original": ["id": .string(originalID.rawValue)]]
        for key in ["customer", "service", "slot", "booking", "price"] { if let value = original[key] { delta[key] = value } }
        return .ok("marked \(originalID) paid", reasons: ["payment of \(amount) minor units for \(originalID)"], delta: delta)
    }
}

/// `payments.refund`: after a cancellation, refunds what the booking's cancellation policy allows
/// for the notice given; a policy with an approval rule waits for an operator first. As a
/// compensation it refunds this interaction's own payment in full (`RefundAgent+Compensation`).
public struct RefundAgent: Agent {
    public let name = "payments.refund"
    public let hasEffects = true

    public init() {}

    public func run(_ input: StepInput) async -> StepResult {
        if input.compensating != nil { return await refundOwnPayment(input) }
        let metadata = input.interaction.event?.payload["metadata"]
        guard let originalID = (metadata?["interaction_id"]?.stringValue ?? input.string("original.id")).flatMap(InteractionID.init),
              let original = await input.ledger.context(of: originalID) else {
            return .outcome(.ineligible, "no deposit to refund", reasons: ["the cancelled booking is not one Switchboard made"],
                            delta: ["refund": ["amount": 0, "rule": "no matching booking"]])
        }
        var delta: JSONObject = ["original": ["id": .string(originalID.rawValue)]]
        for key in ["customer", "service", "slot", "booking"] { if let value = original[key] { delta[key] = value } }
        let paid = JSON.object(original).value(at: "payment.amount")?.intValue ?? 0
        if JSON.object(original).value(at: "payment.status")?.stringValue == "refunded" {
            delta["refund"] = ["amount": 0, "rule": "already refunded"]
            return .outcome(.ineligible, "the deposit was refunded before", reasons: ["\(originalID) refunded it when it failed"], delta: delta)
        }
        guard JSON.object(original).value(at: "payment.status")?.stringValue == "paid", paid > 0,
              let intent = JSON.object(original).value(at: "payment.intent_id")?.stringValue else {
            delta["refund"] = ["amount": 0, "rule": "no deposit was paid"]
            return .outcome(.ineligible, "no deposit was paid", reasons: ["nothing to refund for \(originalID)"], delta: delta)
        }
        let currency = input.config.identity.currency
        let serviceID = JSON.object(original).value(at: "service.id")?.stringValue
        let policy = serviceID.flatMap(input.config.service(id:))?.cancellation
        let shares = Self.cancelledShares(of: .object(original), event: input.interaction.event?.payload, paid: paid, now: input.now / 1000)
        guard policy != nil || shares != nil else {
            delta["refund"] = ["amount": .int(paid), "rule": "no cancellation policy: full refund"]
            return await refund(input, intent: intent, amount: paid, rule: "no cancellation policy", delta: delta)
        }
        let amount: Money
        let ruleText: String
        var reasons = ["paid \(Money(minorUnits: paid, currency: currency).formatted)"]
        if let shares {
            guard !shares.isEmpty else {
                delta["refund"] = ["amount": 0, "rule": "already refunded"]
                return .outcome(.ineligible, "the cancelled occurrences were refunded before", reasons: reasons, delta: delta)
            }
            (amount, ruleText) = Self.refund(shares, policy: policy, now: input.now / 1000, currency: currency, rounding: input.config.pricing.rounding)
            delta.set("refund.occurrences", .array(shares.map { .string(Timestamp.iso8601(seconds: $0.start)) }))
            delta.set("original.occurrences", .array(shares.map { .string($0.uid) }))
            reasons.append(ruleText)
        } else if let policy {
            let startText = JSON.object(original).value(at: "slot.start")?.stringValue ?? input.string("event.startTime")
            let start = startText.flatMap(Timestamp.parseISO8601).map { $0 / 1000 } ?? input.now / 1000
            let notice = Duration.seconds(max(0, start - input.now / 1000))
            amount = policy.refund(of: Money(minorUnits: paid, currency: currency), notice: notice, rounding: input.config.pricing.rounding)
            ruleText = Self.ruleText(policy, notice: notice)
            reasons += ["cancelled \(Self.describe(notice)) before the start", ruleText]
        } else {
            return .outcome(.ineligible, "nothing to refund", reasons: reasons, delta: delta)
        }
        delta.set("refund.amount", .int(amount.minorUnits))
        delta.set("refund.rule", .string(ruleText))
        guard amount.minorUnits > 0 else {
            return .outcome(.ineligible, "no refund due", reasons: reasons, delta: delta)
        }
        if let approval = policy?.approvalPolicy, input.string("approval.decision") != "approved",
           input.config.approvals[approval]?.requiresApproval(for: amount) ?? true {
            return .outcome(.needsApproval, "refund of \(amount.formatted) needs approval", reasons: reasons + ["policy \(approval)"], delta: delta)
        }
        return await refund(input, intent: intent, amount: amount.minorUnits, rule: ruleText, delta: delta, reasons: reasons)
    }

    private func refund(_ input: StepInput, intent: String, amount: Int64, rule: String, delta: JSONObject,
                        reasons: [String] = []) async -> StepResult {
        guard let payments = input.providers.payments else { return .outcome(.error, "no payments integration", reasons: []) }
        var delta = delta
        do {
            let refund = try await payments.createRefund(
                RefundRequest(paymentIntent: intent, amount: amount, reason: .requestedByCustomer,
                              metadata: ["interaction_id": input.interaction.id.rawValue]),
                context: input.callContext)
            delta.set("refund.id", .string(refund.id))
            delta.set("refund.amount", .int(refund.amount))
            if let original = input.string("original.id") ?? delta["original"]?["id"]?.stringValue, let id = InteractionID(original) {
                var note: JSONObject = ["refund": ["id": .string(refund.id), "amount": .int(refund.amount)]]
                // Occurrences of a series refunded, so a later cancellation of the rest skips them.
                for uid in delta["original"]?["occurrences"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
                    note.set("refunds.\(uid)", .string(refund.id))
                }
                try? await input.ledger.annotate(id, with: note)
            }
            return .ok("refunded \(Money(minorUnits: refund.amount, currency: input.config.identity.currency).formatted)",
                       reasons: reasons + ["refund \(refund.id)"], delta: delta)
        } catch {
            return StepResult(outcome: .error, delta: delta,
                              decision: Decision("refund failed", reasons: reasons + [ProviderFailure.describe(error)],
                                                 errorKind: ProviderFailure.kind(of: error)))
        }
    }

    static func describe(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        return seconds >= 3600 ? "\(seconds / 3600) hours" : "\(seconds / 60) minutes"
    }
}
