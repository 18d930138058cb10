import Integration
import Model

/// Providers that answer from the recorded answers of the interaction each call is made for (an
/// `AnswerBook`) instead of calling anyone, falling back to `fallback` (the in-memory sandbox) for
/// calls that were not recorded. `switchboard what-if` runs recorded traffic through an edited configuration with them.
public enum ReplayingProviders {
    public static func wrap(_ fallback: TenantProviders, book: AnswerBook) -> TenantProviders {
        func has(_ role: String, _ provider: Any?) -> Bool { provider != nil || book.hasAnswers(for: role) }
        return TenantProviders(decorating: fallback,
                               crm: has("crm", fallback.crm) ? CRM(book: book, fallback: fallback.crm) : nil,
                               payments: has("payments", fallback.payments) ? Payments(book: book, fallback: fallback.payments) : nil,
                               scheduling: has("scheduling", fallback.scheduling)
                                   ? Scheduling(book: book, fallback: fallback.scheduling) : nil,
                               messaging: has("messaging", fallback.messaging) ? Messaging(book: book, fallback: fallback.messaging) : nil,
                               operatorNotifier: has("operator", fallback.operatorNotifier)
                                   ? Notifier(book: book, fallback: fallback.operatorNotifier) : nil,
                               email: has("email", fallback.email) ? Email(book: book, fallback: fallback.email) : nil,
                               // A generic system has no simulator in the sandbox: what was not
                               // recorded still goes to the system's own (sandboxed) address.
                               systemCall: { system, operation, context, call in
                                   try await book.replay("http", "\(system).\(operation)", context: context, decode: { $0 },
                                                         fallback: { try await fallback.systemCall(system, operation, context, call) })
                               })
    }

    struct CRM: CRMProvider {
        let book: AnswerBook
        let fallback: (any CRMProvider)?

        func searchContact(_ query: ContactQuery, context: CallContext) async throws -> Contact? {
            try await book.replay("crm", "searchContact", context: context, decode: { $0.isNull ? .some(nil) : AnswerCoding.contact($0).map { Optional($0) } },
                                     fallback: fallback.map { crm in { try await crm.searchContact(query, context: context) } })
        }

        func createContact(properties: [String: String], context: CallContext) async throws -> Contact {
            try await book.replay("crm", "createContact", context: context, decode: AnswerCoding.contact,
                                     fallback: fallback.map { crm in { try await crm.createContact(properties: properties, context: context) } })
        }

        func updateContact(id: String, properties: [String: String], context: CallContext) async throws -> Contact {
            try await book.replay("crm", "updateContact", context: context, decode: AnswerCoding.contact,
                                  fallback: fallback.map { crm in { try await crm.updateContact(id: id, properties: properties, context: context) } },
                                  synthesized: (id, { Contact(id: id, properties: properties) }))
        }

        func addNote(contactID: String, body: String, timestamp: Int64, context: CallContext) async throws -> CRMNote {
            try await book.replay("crm", "addNote", context: context, decode: AnswerCoding.note,
                                  fallback: fallback.map { crm in
                                      { try await crm.addNote(contactID: contactID, body: body, timestamp: timestamp, context: context) }
                                  },
                                  synthesized: (contactID, { CRMNote(id: "what-if-note") }))
        }
    }

    struct Payments: PaymentsProvider {
        let book: AnswerBook
        let fallback: (any PaymentsProvider)?

        func createCheckoutSession(_ request: CheckoutSessionRequest, context: CallContext) async throws -> CheckoutSession {
            try await book.replay("payments", "createCheckoutSession", context: context, decode: AnswerCoding.session,
                                     fallback: fallback.map { p in { try await p.createCheckoutSession(request, context: context) } })
        }

        func retrieveCheckoutSession(id: String, context: CallContext) async throws -> CheckoutSession {
            try await book.replay("payments", "retrieveCheckoutSession", context: context, decode: AnswerCoding.session,
                                  fallback: fallback.map { p in { try await p.retrieveCheckoutSession(id: id, context: context) } })
        }

        func expireCheckoutSession(id: String, context: CallContext) async throws -> CheckoutSession {
            try await book.replay("payments", "expireCheckoutSession", context: context, decode: AnswerCoding.session,
                                  fallback: fallback.map { p in { try await p.expireCheckoutSession(id: id, context: context) } },
                                  synthesized: (id, { CheckoutSession(id: id, status: "expired", paymentStatus: "unpaid") }))
        }

        func createPaymentIntent(_ request: PaymentIntentRequest, context: CallContext) async throws -> PaymentIntent {
            try await book.replay("payments", "createPaymentIntent", context: context, decode: AnswerCoding.intent,
                                     fallback: fallback.map { p in { try await p.createPaymentIntent(request, context: context) } })
        }

        func retrievePaymentIntent(id: String, context: CallContext) async throws -> PaymentIntent {
            try await book.replay("payments", "retrievePaymentIntent", context: context, decode: AnswerCoding.intent,
                                     fallback: fallback.map { p in { try await p.retrievePaymentIntent(id: id, context: context) } })
        }

        func createRefund(_ request: RefundRequest, context: CallContext) async throws -> Refund {
            try await book.replay("payments", "createRefund", context: context, decode: AnswerCoding.refund,
                                  fallback: fallback.map { p in { try await p.createRefund(request, context: context) } },
                                  synthesized: (request.paymentIntent, {
                                      Refund(id: "re_what_if", status: "succeeded", amount: request.amount ?? 0, paymentIntent: request.paymentIntent)
                                  }))
        }
    }

    struct Scheduling: SchedulingProvider {
        let book: AnswerBook
        let fallback: (any SchedulingProvider)?

        func availableSlots(_ query: SlotQuery, context: CallContext) async throws -> [Slot] {
            try await book.replay("scheduling", "availableSlots", context: context, decode: AnswerCoding.slots,
                                     fallback: fallback.map { s in { try await s.availableSlots(query, context: context) } })
        }

        func createBooking(_ request: BookingRequest, context: CallContext) async throws -> Booking {
            try await book.replay("scheduling", "createBooking", context: context, decode: AnswerCoding.booking,
                                     fallback: fallback.map { s in { try await s.createBooking(request, context: context) } })
        }

        func cancelBooking(uid: String, reason: String, context: CallContext) async throws -> Booking {
            try await book.replay("scheduling", "cancelBooking", context: context, decode: AnswerCoding.booking,
                                  fallback: fallback.map { s in { try await s.cancelBooking(uid: uid, reason: reason, context: context) } },
                                  synthesized: (uid, { Booking(uid: uid, status: "cancelled", start: "") }))
        }

        func createRecurringBooking(_ request: BookingRequest, count: Int, context: CallContext) async throws -> [Booking] {
            try await book.replay("scheduling", "createRecurringBooking", context: context, decode: AnswerCoding.bookings,
                                  fallback: fallback.map { s in { try await s.createRecurringBooking(request, count: count, context: context) } })
        }

        func bookings(madeBy operation: BookingOperation, eventTypeID: Int64, createdAfter: String,
                      context: CallContext) async throws -> [Booking] {
            try await book.replay("scheduling", "findBookings", context: context, decode: AnswerCoding.bookings,
                                  fallback: fallback.map { s in {
                                      try await s.bookings(madeBy: operation, eventTypeID: eventTypeID, createdAfter: createdAfter, context: context)
                                  } })
        }

        func cancelSubsequentBookings(uid: String, reason: String, context: CallContext) async throws -> [Booking] {
            try await book.replay("scheduling", "cancelSubsequentBookings", context: context, decode: AnswerCoding.bookings,
                                  fallback: fallback.map { s in { try await s.cancelSubsequentBookings(uid: uid, reason: reason, context: context) } },
                                  synthesized: (uid, { [Booking(uid: uid, status: "cancelled", start: "")] }))
        }

        func rescheduleBooking(uid: String, start: String, reason: String?, context: CallContext) async throws -> Booking {
            try await book.replay("scheduling", "rescheduleBooking", context: context, decode: AnswerCoding.booking,
                                     fallback: fallback.map { s in
                                         { try await s.rescheduleBooking(uid: uid, start: start, reason: reason, context: context) }
                                     })
        }
    }

    struct Messaging: MessagingProvider {
        let book: AnswerBook
        let fallback: (any MessagingProvider)?

        func sendSMS(_ message: SMSMessage, context: CallContext) async throws -> SentMessage {
            try await book.replay("messaging", "sendSMS", context: context, decode: AnswerCoding.message,
                                     fallback: fallback.map { m in { try await m.sendSMS(message, context: context) } })
        }

        func sentMessages(to: String, sender: SMSMessage.Sender, since: Int64, context: CallContext) async throws -> [ListedMessage] {
            try await book.replay("messaging", "listMessages", context: context, decode: AnswerCoding.listedMessages,
                                  fallback: fallback.map { m in { try await m.sentMessages(to: to, sender: sender, since: since, context: context) } })
        }
    }

    struct Notifier: OperatorNotifier {
        let book: AnswerBook
        let fallback: (any OperatorNotifier)?

        func notify(_ text: String, context: CallContext) async throws {
            try await book.replay("operator", "notify", context: context, decode: { _ in () },
                                     fallback: fallback.map { n in { try await n.notify(text, context: context) } })
        }
    }

    struct Email: EmailSender {
        let book: AnswerBook
        let fallback: (any EmailSender)?

        func send(_ email: EmailMessage, context: CallContext) async throws -> SentEmail {
            try await book.replay("email", "send", context: context, decode: AnswerCoding.email,
                                     fallback: fallback.map { e in { try await e.send(email, context: context) } })
        }
    }
}

/// Answers `intent.classify` from the recorded classifier answers; without one it fails, and the
/// agent falls back to keyword matching as it does in production.
public struct ReplayingClassifier: IntentClassifier {
    let book: AnswerBook

    public init(book: AnswerBook) { self.book = book }

    public func classify(_ text: String, services: [(id: String, name: String, examples: [String])],
                         context: CallContext) async throws -> (service: String?, confidence: Double) {
        try await book.replay("classifier", "classify", context: context, decode: AnswerCoding.classification, fallback: nil)
    }
}

/// Records the classifier's answers like the role decorators do.
public struct RecordingClassifier: IntentClassifier {
    let base: any IntentClassifier

    public init(_ base: any IntentClassifier) { self.base = base }

    public func classify(_ text: String, services: [(id: String, name: String, examples: [String])],
                         context: CallContext) async throws -> (service: String?, confidence: Double) {
        try await AnswerTap.call("classifier", "classify", context: context, encode: AnswerCoding.encode) {
            try await base.classify(text, services: services, context: context)
        }
    }
}
