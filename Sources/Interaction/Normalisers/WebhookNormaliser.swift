import Model

/// Turns provider webhooks into `Interaction` fields: the event (source, type, id, extracted
/// payload) and the customer's identity where the provider gives it.
public enum WebhookNormaliser {
    /// What a webhook becomes before it gets an id and a tenant.
    public struct Normalised: Sendable, Equatable {
        public var channel: Channel
        public var from: Interaction.Party
        public var text: String?
        public var event: Interaction.Event
        /// What makes two deliveries the same piece of work: the event id, except where a provider
        /// reports one fact in several events.
        public var deduplicationKey: String

        init(channel: Channel, from: Interaction.Party, text: String?, event: Interaction.Event, deduplicationKey: String? = nil) {
            self.channel = channel
            self.from = from
            self.text = text
            self.event = event
            self.deduplicationKey = deduplicationKey ?? event.id
        }
    }

    /// Twilio inbound SMS (form fields `MessageSid`, `From`, `To`, `Body`, ...).
    public static func twilioSMS(_ form: [(String, String)]) throws(NormalisationError) -> Normalised {
        func field(_ name: String) -> String? { form.first { $0.0 == name }?.1 }
        guard let sid = field("MessageSid") ?? field("SmsSid"), !sid.isEmpty else {
            throw .invalid("MessageSid", "required in a Twilio message webhook")
        }
        guard let from = field("From"), !from.isEmpty else { throw .invalid("From", "required in a Twilio message webhook") }
        let body = field("Body") ?? ""
        var payload = JSONObject()
        for name in ["MessageSid", "AccountSid", "MessagingServiceSid", "From", "To", "Body", "NumMedia", "FromCity", "FromZip"] {
            if let value = field(name) { payload[name] = .string(value) }
        }
        return Normalised(channel: .sms, from: .init(phone: from), text: body,
                          event: .init(source: "twilio", type: "message.received", id: sid, payload: .object(payload)))
    }

    /// Stripe events: `payment_intent.succeeded`, `payment_intent.payment_failed`,
    /// `checkout.session.completed`, `charge.refunded` (others are kept with their type).
    public static func stripe(_ body: [UInt8]) throws(NormalisationError) -> Normalised {
        let json = try parseJSON(body)
        guard let id = json["id"]?.stringValue, id.hasPrefix("evt_") else { throw .invalid("id", "a Stripe event id (evt_...) is required") }
        guard let type = json["type"]?.stringValue else { throw .invalid("type", "a Stripe event type is required") }
        guard let object = json.value(at: "data.object")?.objectValue else { throw .invalid("data.object", "required") }
        var payload: JSONObject = ["object_id": object["id"] ?? .null, "object": object["object"] ?? .null]
        for key in ["amount", "amount_received", "amount_total", "amount_refunded", "currency", "status", "payment_status",
                    "payment_intent", "metadata", "customer_email", "receipt_email", "last_payment_error"] {
            if let value = object[key], !value.isNull { payload[key] = value }
        }
        let email = object["customer_email"]?.stringValue ?? object["receipt_email"]?.stringValue
            ?? object["customer_details"]?["email"]?.stringValue
        let phone = object["customer_details"]?["phone"]?.stringValue
        // A paid Checkout Session is reported twice, as checkout.session.completed and as its
        // PaymentIntent's payment_intent.succeeded: one payment, so one interaction.
        var key: String?
        if type == "checkout.session.completed" || type == "payment_intent.succeeded",
           let intent = type == "payment_intent.succeeded" ? object["id"]?.stringValue : object["payment_intent"]?.stringValue {
            key = "payment-succeeded:\(intent)"
        }
        return Normalised(channel: .stripe, from: .init(phone: phone, email: email?.lowercased()), text: nil,
                          event: .init(source: "stripe", type: type, id: id, payload: .object(payload)), deduplicationKey: key)
    }

    /// Cal.com webhooks: `BOOKING_CREATED`, `BOOKING_CANCELLED`, `BOOKING_RESCHEDULED`. Cal.com
    /// sends no event id, so the id is the trigger and the booking uid (plus the reschedule uid).
    public static func calcom(_ body: [UInt8]) throws(NormalisationError) -> Normalised {
        let json = try parseJSON(body)
        guard let trigger = json["triggerEvent"]?.stringValue else { throw .invalid("triggerEvent", "required") }
        guard let payload = json["payload"]?.objectValue else { throw .invalid("payload", "required") }
        guard let uid = payload["uid"]?.stringValue else { throw .invalid("payload.uid", "the booking uid is required") }
        var extracted: JSONObject = ["uid": .string(uid)]
        // `recurringEvent` comes with a cancellation of every remaining occurrence of a series.
        for key in ["bookingId", "startTime", "endTime", "title", "cancellationReason", "rescheduleUid", "metadata",
                    "eventTypeId", "status", "recurringEvent"] {
            if let value = payload[key], !value.isNull { extracted[key] = value }
        }
        let attendee = payload["attendees"]?[0]
        let from = Interaction.Party(phone: attendee?["phoneNumber"]?.stringValue,
                                     email: attendee?["email"]?.stringValue?.lowercased(),
                                     name: attendee?["name"]?.stringValue)
        var eventID = "\(trigger):\(uid)"
        if let reschedule = payload["rescheduleUid"]?.stringValue { eventID += ":\(reschedule)" }
        if let start = payload["startTime"]?.stringValue, trigger == "BOOKING_RESCHEDULED" { eventID += ":\(start)" }
        return Normalised(channel: .calcom, from: from, text: nil,
                          event: .init(source: "calcom", type: trigger, id: eventID, payload: .object(extracted)))
    }

    /// Standard Webhooks from any system: the event id is `webhook-id`; the type is the body's
    /// `type` field when it has one.
    public static func generic(_ body: [UInt8], webhookID: String) throws(NormalisationError) -> Normalised {
        let json = try parseJSON(body)
        let type = json["type"]?.stringValue ?? "event"
        let data = json["data"] ?? json
        let from = Interaction.Party(phone: data["phone"]?.stringValue, email: data["email"]?.stringValue?.lowercased(),
                                     name: data["name"]?.stringValue)
        return Normalised(channel: .generic, from: from, text: data["text"]?.stringValue,
                          event: .init(source: "generic", type: type, id: webhookID, payload: json))
    }

    private static func parseJSON(_ body: [UInt8]) throws(NormalisationError) -> JSON {
        do {
            return try JSONParser.parse(body, maxDepth: 32)
        } catch {
            throw .malformed("the body is not valid JSON: \(error.description)")
        }
    }
}
