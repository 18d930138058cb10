import Integration
import Model

/// The JSON shape of each provider answer in a trace, both ways. Decoding is lenient about
/// absent optional fields and strict about the ones the agents need.
enum AnswerCoding {
    static func strings(_ values: [String: String]) -> JSON {
        .object(JSONObject(values.sorted { $0.key < $1.key }.map { ($0.key, JSON.string($0.value)) }))
    }

    static func strings(_ json: JSON?) -> [String: String] {
        var values: [String: String] = [:]
        for (key, value) in json?.objectValue ?? [:] { if let text = value.stringValue { values[key] = text } }
        return values
    }

    static func optional(_ text: String?) -> JSON { text.map { .string($0) } ?? .null }
    static func optional(_ number: Int64?) -> JSON { number.map { .int($0) } ?? .null }

    // MARK: CRM

    static func encode(_ contact: Contact) -> JSON { ["id": .string(contact.id), "properties": strings(contact.properties)] }

    static func contact(_ json: JSON) -> Contact? {
        guard let id = json["id"]?.stringValue else { return nil }
        return Contact(id: id, properties: strings(json["properties"]))
    }

    static func encode(_ contact: Contact?) -> JSON { contact.map { encode($0) } ?? .null }

    static func encode(_ note: CRMNote) -> JSON { ["id": .string(note.id)] }

    static func note(_ json: JSON) -> CRMNote? { json["id"]?.stringValue.map(CRMNote.init(id:)) }

    // MARK: Payments

    static func encode(_ session: CheckoutSession) -> JSON {
        ["id": .string(session.id), "url": optional(session.url), "status": optional(session.status),
         "payment_status": optional(session.paymentStatus), "payment_intent": optional(session.paymentIntent),
         "amount_total": optional(session.amountTotal)]
    }

    static func session(_ json: JSON) -> CheckoutSession? {
        guard let id = json["id"]?.stringValue else { return nil }
        return CheckoutSession(id: id, url: json["url"]?.stringValue, status: json["status"]?.stringValue,
                               paymentStatus: json["payment_status"]?.stringValue, paymentIntent: json["payment_intent"]?.stringValue,
                               amountTotal: json["amount_total"]?.intValue)
    }

    /// The client secret is a credential of the payment: never kept.
    static func encode(_ intent: PaymentIntent) -> JSON {
        ["id": .string(intent.id), "status": .string(intent.status), "amount": .int(intent.amount),
         "currency": .string(intent.currency), "metadata": strings(intent.metadata)]
    }

    static func intent(_ json: JSON) -> PaymentIntent? {
        guard let id = json["id"]?.stringValue, let status = json["status"]?.stringValue, let amount = json["amount"]?.intValue
        else { return nil }
        return PaymentIntent(id: id, status: status, amount: amount, currency: json["currency"]?.stringValue ?? "",
                             metadata: strings(json["metadata"]))
    }

    static func encode(_ refund: Refund) -> JSON {
        ["id": .string(refund.id), "status": optional(refund.status), "amount": .int(refund.amount),
         "payment_intent": optional(refund.paymentIntent)]
    }

    static func refund(_ json: JSON) -> Refund? {
        guard let id = json["id"]?.stringValue, let amount = json["amount"]?.intValue else { return nil }
        return Refund(id: id, status: json["status"]?.stringValue, amount: amount, paymentIntent: json["payment_intent"]?.stringValue)
    }

    // MARK: Scheduling

    static func encode(_ slots: [Slot]) -> JSON {
        .array(slots.map { ["start": .string($0.start), "end": optional($0.end)] })
    }

    static func slots(_ json: JSON) -> [Slot]? {
        guard let array = json.arrayValue else { return nil }
        return array.compactMap { slot in slot["start"]?.stringValue.map { Slot(start: $0, end: slot["end"]?.stringValue) } }
    }

    static func encode(_ booking: Booking) -> JSON {
        var json: JSONObject = ["uid": .string(booking.uid), "id": optional(booking.id), "status": .string(booking.status),
                                "start": .string(booking.start), "end": optional(booking.end)]
        if let series = booking.recurringBookingUid { json["recurring_booking_uid"] = .string(series) }
        return .object(json)
    }

    static func booking(_ json: JSON) -> Booking? {
        guard let uid = json["uid"]?.stringValue, let status = json["status"]?.stringValue, let start = json["start"]?.stringValue
        else { return nil }
        return Booking(uid: uid, id: json["id"]?.intValue, status: status, start: start, end: json["end"]?.stringValue,
                       recurringBookingUid: json["recurring_booking_uid"]?.stringValue)
    }

    static func encode(_ bookings: [Booking]) -> JSON { .array(bookings.map { encode($0) }) }

    static func bookings(_ json: JSON) -> [Booking]? {
        guard let array = json.arrayValue else { return nil }
        let bookings = array.compactMap(booking)
        return bookings.count == array.count ? bookings : nil
    }

    // MARK: Messaging, operator, email

    static func encode(_ message: SentMessage) -> JSON { ["sid": .string(message.sid), "status": .string(message.status)] }

    static func encode(_ messages: [ListedMessage]) -> JSON {
        .array(messages.map { ["sid": .string($0.sid), "status": .string($0.status), "body": .string($0.body), "created_at": .int($0.createdAt)] })
    }

    static func listedMessages(_ json: JSON) -> [ListedMessage]? {
        guard let array = json.arrayValue else { return nil }
        let messages = array.compactMap { item -> ListedMessage? in
            guard let sid = item["sid"]?.stringValue, let created = item["created_at"]?.intValue else { return nil }
            return ListedMessage(sid: sid, status: item["status"]?.stringValue ?? "", body: item["body"]?.stringValue ?? "", createdAt: created)
        }
        return messages.count == array.count ? messages : nil
    }

    static func message(_ json: JSON) -> SentMessage? {
        guard let sid = json["sid"]?.stringValue else { return nil }
        return SentMessage(sid: sid, status: json["status"]?.stringValue ?? "queued")
    }

    static func encode(_ email: SentEmail) -> JSON {
        ["message_id": .string(email.messageID), "reply_code": .int(Int64(email.replyCode))]
    }

    static func email(_ json: JSON) -> SentEmail? {
        guard let id = json["message_id"]?.stringValue else { return nil }
        return SentEmail(messageID: id, replyCode: Int(json["reply_code"]?.intValue ?? 250))
    }

    // MARK: Classifier

    static func encode(_ answer: (service: String?, confidence: Double)) -> JSON {
        ["service": optional(answer.service), "confidence": .double(answer.confidence)]
    }

    static func classification(_ json: JSON) -> (service: String?, confidence: Double)? {
        guard let confidence = json["confidence"]?.doubleValue else { return nil }
        return (json["service"]?.stringValue, confidence)
    }
}
