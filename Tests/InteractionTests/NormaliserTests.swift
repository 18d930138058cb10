import HTTP
import Model
import Testing
@testable import Interaction

struct APIInteractionRequestTests {
    private func parse(_ text: String) throws(NormalisationError) -> APIInteractionRequest {
        try APIInteractionRequest.parse(Array(text.utf8))
    }

    @Test func parse_fullRequest() throws {
        let request = try parse(#"{"channel":"api","from":{"phone":"+14155550100","email":"Casey@Example.com","name":"Casey"},"text":"sink clogged","service":"drain","fields":{"postal_code":"94110"}}"#)
        #expect(request.from == .init(phone: "+14155550100", email: "casey@example.com", name: "Casey"))
        #expect(request.text == "sink clogged")
        #expect(request.service == "drain")
        #expect(request.fields["postal_code"] == "94110")
    }

    @Test(arguments: [
        (#"{"from":{"phone":"+14155550100"},"text":5}"#, "text: must be a string, got a number"),
        (#"{"from":{"phone":"555-0100"},"text":"hi"}"#, "from.phone: must be an E.164 number such as +14155550100"),
        (#"{"from":{},"text":"hi"}"#, "from: needs a phone or an email to reach the customer"),
        (#"{"text":"hi"}"#, "from: required: an object with phone and/or email"),
        (#"{"from":{"email":"nope"},"text":"hi"}"#, "from.email: is not an email address"),
        (#"{"from":{"phone":"+14155550100"}}"#, "text: required unless service is given"),
        (#"{"from":{"phone":"+14155550100"},"text":"hi","extra":1}"#, "extra: unknown field; allowed: channel, from, text, service, fields"),
        (#"{"channel":"sms","from":{"phone":"+14155550100"},"text":"hi"}"#, "channel: must be \"api\" on this endpoint"),
        (#"{"from":{"phone":"+14155550100"},"text":"hi","fields":[1]}"#, "fields: must be an object"),
        (#"[1,2]"#, "body: must be a JSON object"),
    ])
    func parse_rejectsWithFieldAndReason(_ body: String, _ message: String) {
        do {
            _ = try parse(body)
            Issue.record("expected a 422")
        } catch {
            #expect(error.status == .unprocessableContent)
            #expect(error.message == message)
        }
    }

    @Test func parse_notJSON_is400() {
        do {
            _ = try parse("{not json")
            Issue.record("expected a 400")
        } catch {
            #expect(error.status == .badRequest)
            #expect(error.message.hasPrefix("the body is not valid JSON: invalid JSON at line 1, column 2"))
        }
    }
}

struct WebhookNormaliserTests {
    @Test func twilioSMS_takesSenderTextAndSid() throws {
        let normalised = try WebhookNormaliser.twilioSMS([("MessageSid", "SM123"), ("From", "+14155550100"), ("To", "+14155559999"),
                                                          ("Body", "10am works")])
        #expect(normalised.channel == .sms)
        #expect(normalised.from.phone == "+14155550100")
        #expect(normalised.text == "10am works")
        #expect(normalised.event.id == "SM123")
        #expect(normalised.event.payload["To"] == "+14155559999")
        #expect(throws: NormalisationError.self) { try WebhookNormaliser.twilioSMS([("From", "+1")]) }
    }

    @Test func stripe_extractsTheObjectAndMetadata() throws {
        let body = #"{"id":"evt_1","object":"event","type":"checkout.session.completed","data":{"object":{"id":"cs_1","object":"checkout.session","amount_total":4500,"currency":"usd","payment_status":"paid","payment_intent":"pi_1","customer_details":{"email":"Casey@example.com","phone":"+14155550100"},"metadata":{"interaction_id":"int_x"}}}}"#
        let normalised = try WebhookNormaliser.stripe(Array(body.utf8))
        #expect(normalised.event.type == "checkout.session.completed")
        #expect(normalised.event.id == "evt_1")
        #expect(normalised.event.payload["object_id"] == "cs_1")
        #expect(normalised.event.payload.value(at: "metadata.interaction_id") == "int_x")
        #expect(normalised.from == .init(phone: "+14155550100", email: "casey@example.com"))
        #expect(throws: NormalisationError.self) { try WebhookNormaliser.stripe(Array(#"{"id":"x","type":"t","data":{"object":{}}}"#.utf8)) }
    }

    @Test func calcom_identifiesTheBookingAndAttendee() throws {
        let body = #"{"triggerEvent":"BOOKING_CANCELLED","createdAt":"2026-11-22T09:00:00Z","payload":{"uid":"bk_9","startTime":"2026-11-23T15:00:00Z","cancellationReason":"sick","attendees":[{"name":"Casey","email":"casey@example.com","timeZone":"America/Los_Angeles"}]}}"#
        let normalised = try WebhookNormaliser.calcom(Array(body.utf8))
        #expect(normalised.event.type == "BOOKING_CANCELLED")
        #expect(normalised.event.id == "BOOKING_CANCELLED:bk_9")
        #expect(normalised.event.payload["cancellationReason"] == "sick")
        #expect(normalised.from.email == "casey@example.com")
    }

    @Test func generic_usesWebhookIDAndBodyType() throws {
        let normalised = try WebhookNormaliser.generic(Array(#"{"type":"lead.created","data":{"email":"a@b.co","text":"quote please"}}"#.utf8),
                                                      webhookID: "msg_1")
        #expect(normalised.event.id == "msg_1")
        #expect(normalised.event.type == "lead.created")
        #expect(normalised.text == "quote please")
    }
}
