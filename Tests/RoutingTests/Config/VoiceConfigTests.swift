import Model
import Testing
@testable import Routing

/// `channels.voice`: its settings decode with their defaults, each bad value is reported where it
/// is written, and the voice channel is checked against the webhooks, flows and templates.
struct VoiceConfigTests {
    static let voice = """
          voice:
            number: "+15125550100"
            voice: Polly.Matthew
            language: en-GB
            operator_number: "+15125550199"
            answer_within: 4s
            min_confidence: 0.35
            transfer_after_unclear: 3
            templates:
              greeting: hello_call
              goodbye: bye_call
          webhooks:
            twilio-voice:
              secret: ${TWILIO_WEBHOOK_SECRET:-test-token}
              public_url: https://example.com/twilio-voice

        """

    static let templates = """
        templates:
          hello_call:
            audience: customer
            text: "Thanks for calling {{tenant.name}}, how can we help?"
          bye_call:
            audience: customer
            text: "Goodbye from {{tenant.name}}."
            say: "Goodbye, {{from.phone}}."

        """

    /// The fixture tenant answering calls with `voice` (the channels.voice and webhook block).
    static func tenant(voice: String = VoiceConfigTests.voice, templates: String = VoiceConfigTests.templates,
                       channels: String = "[sms, voice]") -> String {
        TestFiles.validFixture
            .replacingFirst("  webhooks:\n", with: voice)
            .replacingFirst("\ntemplates:\n", with: "\n" + templates)
            .replacingFirst("      channels: [sms]", with: "      channels: \(channels)")
    }

    @Test func voiceChannel_decodesEverySetting() throws {
        let config = try TestFiles.load(Self.tenant()).get().config
        let voice = try #require(config.channels.voice)
        #expect(voice == VoiceChannel(number: "+15125550100", voice: "Polly.Matthew", language: "en-GB", operatorNumber: "+15125550199",
                                      answerWithin: .seconds(4), minConfidence: 0.35, transferAfterUnclear: 3,
                                      templates: [.greeting: "hello_call", .goodbye: "bye_call"]))
        #expect(config.channels.webhooks[.twilioVoice]?.publicURL == "https://example.com/twilio-voice")
        #expect(config.flow(for: .voice, serviceID: nil)?.name == "main")
        // The phrase as a caller hears it: the say: form when there is one.
        let context: JSON = ["tenant": ["name": "Fixture Plumbing"], "from": ["phone": "+15125550111"]]
        #expect(config.renderSpoken(template: "bye_call", context: context) == "Goodbye, +15125550111.")
        #expect(config.renderSpoken(template: "hello_call", context: context) == "Thanks for calling Fixture Plumbing, how can we help?")
    }

    @Test func optionalSettings_takeTheirDefaults() throws {
        let minimal = """
              voice:
                number: "+15125550100"
                templates:
                  greeting: hello_call
              webhooks:
                twilio-voice:
                  secret: ${TWILIO_WEBHOOK_SECRET:-test-token}
                  public_url: https://example.com/twilio-voice

            """
        let voice = try #require(try TestFiles.load(Self.tenant(voice: minimal)).get().config.channels.voice)
        #expect(voice == VoiceChannel(number: "+15125550100", templates: [.greeting: "hello_call"]))
        #expect(voice.voice == "Polly.Joanna" && voice.language == "en-US" && voice.answerWithin == .seconds(6))
        #expect(voice.operatorNumber == nil)
    }

    @Test func badValues_areReportedWhereTheyAreWritten() {
        let text = Self.tenant(voice: Self.voice
            .replacingFirst("voice: Polly.Matthew", with: "voice: Robot")
            .replacingFirst("language: en-GB", with: "language: English")
            .replacingFirst("operator_number: \"+15125550199\"", with: "operator_number: \"+15125550100\"")
            .replacingFirst("answer_within: 4s", with: "answer_within: 20s")
            .replacingFirst("min_confidence: 0.35", with: "min_confidence: high")
            .replacingFirst("transfer_after_unclear: 3", with: "transfer_after_unclear: 0"))
        #expect(TestFiles.problems(text) == [
            "19:12: channels.voice.voice: \"Robot\" is not a TwiML voice: use man, woman, alice, Polly.<Name> (Polly.Joanna, Polly.Amy-Neural) "
                + "or Google.<language>-<Variant>",
            "20:15: channels.voice.language: \"English\" is not a language tag: use the BCP-47 form Twilio expects, such as en-US or en-GB",
            "21:22: channels.voice.operator_number: the operator number is the number callers dial: a transfer would ring the same line",
            "22:20: channels.voice.answer_within: must be between 1s and 12s: Twilio gives up on an answer after 15 s and plays its own error "
                + "to the caller",
            "23:21: channels.voice.min_confidence: expected a number from 0 to 1 like 0.5 (Twilio's speech Confidence), got \"high\"",
            "24:29: channels.voice.transfer_after_unclear: must be between 1 and 10, got 0",
        ])
    }

    @Test func phrases_mustNameCustomerTemplates_readingOnlyWhatACallKnows() {
        let templates = Self.templates
            .replacingFirst("text: \"Thanks for calling {{tenant.name}}, how can we help?\"",
                            with: "text: \"Thanks for calling about {{service.name}}\"")
            .replacingFirst("  bye_call:\n    audience: customer", with: "  bye_call:\n    audience: operator")
            .replacingFirst("    say: \"Goodbye, {{from.phone}}.\"\n", with: "")
        let text = Self.tenant(voice: Self.voice.replacingFirst("goodbye: bye_call", with: "goodbye: bye_call\n      transfer: helo"),
                               templates: templates)
        #expect(TestFiles.problems(text) == [
            "27:16: channels.voice.templates.goodbye: template \"bye_call\" is for the operator, but callers hear customer templates",
            "28:17: channels.voice.templates.transfer: no template \"helo\" under templates: (did you mean \"hello\"?)",
            "72:39: templates.hello_call.text: {{service.name}} is not known on a call before the flow runs; the greeting phrase may read "
                + "from.phone, tenant.id, tenant.name, tenant.phone",
        ])
    }

    @Test func missingGreeting_isRequired() {
        let text = Self.tenant(voice: Self.voice.replacingFirst("      greeting: hello_call\n", with: ""))
        #expect(TestFiles.problems(text) == [
            "25:5: channels.voice.templates: missing required key \"greeting\" (the template that answers the call)",
        ])
    }

    @Test func voiceChannel_needsItsWebhook_aFlow_andTexting() {
        let withoutWebhook = Self.tenant(voice: Self.voice.replacingFirst(
            "    twilio-voice:\n      secret: ${TWILIO_WEBHOOK_SECRET:-test-token}\n      public_url: https://example.com/twilio-voice\n", with: ""))
        #expect(TestFiles.problems(withoutWebhook) == [
            "18:5: channels.voice: calls need channels.webhooks.twilio-voice (the auth token and public_url Twilio signs calls with)",
        ])
        let withoutFlow = Self.tenant(channels: "[sms]")
        #expect(TestFiles.problems(withoutFlow) == [
            "18:5: channels.voice: no flow serves voice: add voice to the serves.channels of the flow that should handle calls",
        ])
        let withoutURL = Self.tenant(voice: Self.voice.replacingFirst("      public_url: https://example.com/twilio-voice\n", with: ""))
        #expect(TestFiles.problems(withoutURL) == [
            "29:5: channels.webhooks.twilio-voice: missing required key \"public_url\" (the URL Twilio posts to, which its signature covers)",
        ])
    }

    @Test func servingVoice_withoutTheChannel_isReported() {
        let text = TestFiles.validFixture.replacingFirst("      channels: [sms]", with: "      channels: [sms, voice]")
        #expect(TestFiles.problems(text) == [
            "67:17: flows.main.serves.channels: serving voice needs channels.voice (the number callers dial and the greeting)",
        ])
    }

    @Test func say_isForCustomerTemplates_andIsScopeChecked() {
        let templates = Self.templates + """
              ops_call:
                audience: operator
                text: "Call from {{from.phone}}"
                say: "Call"

            """
        let text = Self.tenant(templates: templates.replacingFirst("say: \"Goodbye, {{from.phone}}.\"", with: "say: \"Bye {{custmer.name}}\""))
        #expect(TestFiles.problems(text) == [
            "75:17: templates.bye_call.say: no step provides {{custmer.name}} (did you mean \"customer.name\"?)",
            "75:17: templates.bye_call.say: {{custmer.name}} is not known on a call before the flow runs; the goodbye phrase may read "
                + "from.phone, tenant.id, tenant.name, tenant.phone",
            "79:5: templates.ops_call.say: only customer templates are spoken to callers; remove say: or make the audience customer",
        ])
    }
}
