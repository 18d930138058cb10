import Integration
import Model

extension RefundAgent {
    /// As a compensation: gives back, in full, what this interaction's own deposit link or charge
    /// took. Stripe is asked how the payment stands (the customer may have paid a moment ago);
    /// an unpaid deposit link is expired so it can no longer be paid, and then there is nothing
    /// to refund. The refund carries the step's Idempotency-Key, so it happens once however often
    /// the compensation runs.
    func refundOwnPayment(_ input: StepInput) async -> StepResult {
        let sessionID = input.string("payment.session_id")
        let subject = sessionID == nil ? "payment" : "deposit"
        guard sessionID != nil || input.string("payment.intent_id") != nil else {
            return .ok("nothing to refund", reasons: ["this interaction took no payment"],
                       delta: ["refund": ["amount": 0, "rule": "nothing was paid"]])
        }
        guard let payments = input.providers.payments else { return .outcome(.error, "no payments integration", reasons: []) }
        let context = input.callContext
        var reasons: [String] = []
        do {
            var intentID = input.string("payment.intent_id")
            if let sessionID {
                var session = try await payments.retrieveCheckoutSession(id: sessionID, context: context)
                if session.paymentStatus != "paid", session.status == "open" {
                    do {
                        session = try await payments.expireCheckoutSession(id: sessionID, context: context)
                        reasons.append("checkout session \(sessionID) expired")
                    } catch let error as ProviderError where error.kind == .permanent {
                        // Paid between the look-up and the expiry: Stripe refuses to expire a complete session.
                        session = try await payments.retrieveCheckoutSession(id: sessionID, context: context)
                        reasons.append("could not expire \(sessionID): \(error.message)")
                    }
                }
                guard session.paymentStatus == "paid" else {
                    reasons.append("checkout session \(sessionID) is \(session.status ?? "unknown") and was not paid")
                    return StepResult(outcome: .ineligible,
                                      delta: ["refund": ["amount": 0, "rule": "the deposit was not paid"], "payment": ["status": "expired"]],
                                      decision: Decision("nothing to refund: the deposit was not paid", reasons: reasons),
                                      undone: Undo(subject: "deposit", text: "the deposit link was withdrawn (nothing had been paid)"))
                }
                intentID = session.paymentIntent ?? intentID
            }
            guard let intentID else {
                return .outcome(.error, "the paid deposit names no PaymentIntent", reasons: reasons)
            }
            let intent = try await payments.retrievePaymentIntent(id: intentID, context: context)
            guard intent.status == "succeeded" else {
                reasons.append("payment intent \(intentID) is \(intent.status)")
                return StepResult(outcome: .ineligible, delta: ["refund": ["amount": 0, "rule": .string("the \(subject) was not completed")]],
                                  decision: Decision("nothing to refund: the \(subject) was not completed", reasons: reasons),
                                  undone: Undo(subject: subject, text: "nothing had been charged"))
            }
            let refund = try await payments.createRefund(
                RefundRequest(paymentIntent: intentID, reason: .requestedByCustomer,
                              metadata: ["interaction_id": input.interaction.id.rawValue, "compensates": input.compensating ?? ""]),
                context: context)
            let money = Money(minorUnits: refund.amount, currency: input.config.identity.currency).formatted
            return StepResult(outcome: .ok,
                              delta: ["refund": ["id": .string(refund.id), "amount": .int(refund.amount), "rule": "compensation: full refund"],
                                      "payment": ["status": "refunded"]],
                              decision: Decision("refunded \(money)", reasons: reasons + ["payment intent \(intentID)", "refund \(refund.id)"]),
                              undone: Undo(subject: subject, refunded: refund.amount, text: "the \(money) \(subject) was refunded"))
        } catch {
            return StepResult(outcome: .error, decision: Decision("could not refund the \(subject)", reasons: reasons + [ProviderFailure.describe(error)],
                                                                  errorKind: ProviderFailure.kind(of: error)))
        }
    }
}
