import Integration
import Model

/// Decorators that report every provider call's answer to the step's `ProviderAnswerRecorder`
/// (found through `CallContext.recorder`), so the trace keeps what each provider said.
///
/// Recording runs on every production call: it encodes a few fields of the answer and nothing
/// else; when the context's recorder takes no answers it costs one dynamic cast.
public enum RecordingProviders {
    /// `providers` with every role recording its answers.
    public static func wrap(_ providers: TenantProviders) -> TenantProviders {
        TenantProviders(decorating: providers,
                        crm: providers.crm.map { CRM(base: $0) },
                        payments: providers.payments.map { Payments(base: $0) },
                        scheduling: providers.scheduling.map { Scheduling(base: $0) },
                        messaging: providers.messaging.map { Messaging(base: $0) },
                        operatorNotifier: providers.operatorNotifier.map { Notifier(base: $0) },
                        email: providers.email.map { Email(base: $0) },
                        systemCall: { system, operation, context, call in
                            try await AnswerTap.call("http", "\(system).\(operation)", context: context, encode: { $0 }) {
                                try await providers.systemCall(system, operation, context, call)
                            }
                        })
    }

    struct CRM: CRMProvider {
        let base: any CRMProvider

        func searchContact(_ query: ContactQuery, context: CallContext) async throws -> Contact? {
            try await AnswerTap.call("crm", "searchContact", context: context, encode: AnswerCoding.encode) {
                try await base.searchContact(query, context: context)
            }
        }

        func createContact(properties: [String: String], context: CallContext) async throws -> Contact {
            try await AnswerTap.call("crm", "createContact", context: context, encode: AnswerCoding.encode) {
                try await base.createContact(properties: properties, context: context)
            }
        }

        func updateContact(id: String, properties: [String: String], context: CallContext) async throws -> Contact {
            try await AnswerTap.call("crm", "updateContact", context: context, encode: AnswerCoding.encode) {
                try await base.updateContact(id: id, properties: properties, context: context)
            }
        }

        func addNote(contactID: String, body: String, timestamp: Int64, context: CallContext) async throws -> CRMNote {
            try await AnswerTap.call("crm", "addNote", context: context, encode: AnswerCoding.encode) {
                try await base.addNote(contactID: contactID, body: body, timestamp: timestamp, context: context)
            }
        }
    }

    struct Payments: PaymentsProvider {
        let base: any PaymentsProvider

        func createCheckoutSession(_ request: CheckoutSessionRequest, context: CallContext) async throws -> CheckoutSession {
            try await AnswerTap.call("payments", "createCheckoutSession", context: context, encode: AnswerCoding.encode) {
                try await base.createCheckoutSession(request, context: context)
            }
        }

        func retrieveCheckoutSession(id: String, context: CallContext) async throws -> CheckoutSession {
            try await AnswerTap.call("payments", "retrieveCheckoutSession", context: context, encode: AnswerCoding.encode) {
                try await base.retrieveCheckoutSession(id: id, context: context)
            }
        }

        func expireCheckoutSession(id: String, context: CallContext) async throws -> CheckoutSession {
            try await AnswerTap.call("payments", "expireCheckoutSession", context: context, encode: AnswerCoding.encode) {
                try await base.expireCheckoutSession(id: id, context: context)
            }
        }

        func createPaymentIntent(_ request: PaymentIntentRequest, context: CallContext) async throws -> PaymentIntent {
            try await AnswerTap.call("payments", "createPaymentIntent", context: context, encode: AnswerCoding.encode) {
                try await base.createPaymentIntent(request, context: context)
            }
        }

        func retrievePaymentIntent(id: String, context: CallContext) async throws -> PaymentIntent {
            try await AnswerTap.call("payments", "retrievePaymentIntent", context: context, encode: AnswerCoding.encode) {
                try await base.retrievePaymentIntent(id: id, context: context)
            }
        }

        func createRefund(_ request: RefundRequest, context: CallContext) async throws -> Refund {
            try await AnswerTap.call("payments", "createRefund", context: context, encode: AnswerCoding.encode) {
                try await base.createRefund(request, context: context)
            }
        }
    }

    struct Scheduling: SchedulingProvider {
        let base: any SchedulingProvider

        func availableSlots(_ query: SlotQuery, context: CallContext) async throws -> [Slot] {
            try await AnswerTap.call("scheduling", "availableSlots", context: context, encode: AnswerCoding.encode) {
                try await base.availableSlots(query, context: context)
            }
        }

        func createBooking(_ request: BookingRequest, context: CallContext) async throws -> Booking {
            try await AnswerTap.call("scheduling", "createBooking", context: context, encode: AnswerCoding.encode) {
                try await base.createBooking(request, context: context)
            }
        }

        func cancelBooking(uid: String, reason: String, context: CallContext) async throws -> Booking {
            try await AnswerTap.call("scheduling", "cancelBooking", context: context, encode: AnswerCoding.encode) {
                try await base.cancelBooking(uid: uid, reason: reason, context: context)
            }
        }

        func bookings(madeBy operation: BookingOperation, eventTypeID: Int64, createdAfter: String,
                      context: CallContext) async throws -> [Booking] {
            try await AnswerTap.call("scheduling", "findBookings", context: context, encode: AnswerCoding.encode) {
                try await base.bookings(madeBy: operation, eventTypeID: eventTypeID, createdAfter: createdAfter, context: context)
            }
        }

        func createRecurringBooking(_ request: BookingRequest, count: Int, context: CallContext) async throws -> [Booking] {
            try await AnswerTap.call("scheduling", "createRecurringBooking", context: context, encode: AnswerCoding.encode) {
                try await base.createRecurringBooking(request, count: count, context: context)
            }
        }

        func cancelSubsequentBookings(uid: String, reason: String, context: CallContext) async throws -> [Booking] {
            try await AnswerTap.call("scheduling", "cancelSubsequentBookings", context: context, encode: AnswerCoding.encode) {
                try await base.cancelSubsequentBookings(uid: uid, reason: reason, context: context)
            }
        }

        func rescheduleBooking(uid: String, start: String, reason: String?, context: CallContext) async throws -> Booking {
            try await AnswerTap.call("scheduling", "rescheduleBooking", context: context, encode: AnswerCoding.encode) {
                try await base.rescheduleBooking(uid: uid, start: start, reason: reason, context: context)
            }
        }
    }

    struct Messaging: MessagingProvider {
        let base: any MessagingProvider

        func sendSMS(_ message: SMSMessage, context: CallContext) async throws -> SentMessage {
            try await AnswerTap.call("messaging", "sendSMS", context: context, encode: AnswerCoding.encode) {
                try await base.sendSMS(message, context: context)
            }
        }

        func sentMessages(to: String, sender: SMSMessage.Sender, since: Int64, context: CallContext) async throws -> [ListedMessage] {
            try await AnswerTap.call("messaging", "listMessages", context: context, encode: AnswerCoding.encode) {
                try await base.sentMessages(to: to, sender: sender, since: since, context: context)
            }
        }
    }

    struct Notifier: OperatorNotifier {
        let base: any OperatorNotifier

        func notify(_ text: String, context: CallContext) async throws {
            try await AnswerTap.call("operator", "notify", context: context, encode: { (_: Void) in JSON.null }) {
                try await base.notify(text, context: context)
            }
        }
    }

    struct Email: EmailSender {
        let base: any EmailSender

        func send(_ email: EmailMessage, context: CallContext) async throws -> SentEmail {
            try await AnswerTap.call("email", "send", context: context, encode: AnswerCoding.encode) {
                try await base.send(email, context: context)
            }
        }
    }
}
