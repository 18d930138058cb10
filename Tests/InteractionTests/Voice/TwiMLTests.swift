import Sandbox
import Testing
@testable import Interaction

/// The TwiML Switchboard answers calls with: well-formed XML (checked by the sandbox's strict
/// parser), exactly the verbs and attributes it means to use, and every piece of text escaped.
struct TwiMLTests {
    static let action = "https://sb.example.com/v1/tenants/acme/webhooks/twilio-voice?turn=2&unclear=1"

    @Test func aGatherTurn_isWellFormed_withTheAttributesTwilioNeeds() throws {
        var answer = TwiML(voice: "Polly.Joanna", language: "en-US")
        answer.gather(action: Self.action, prompt: ["Thanks for calling Acme Plumbing & Drain.", ""])
        let root = try XMLDocument.parse(Array(answer.body.utf8))
        #expect(answer.body.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"))
        #expect(root.name == "Response")
        let gather = try #require(root.elements.first)
        #expect(root.elements.map(\.name) == ["Gather"])
        #expect(gather.attributeOrder == ["input", "action", "method", "speechTimeout", "language", "actionOnEmptyResult"])
        #expect(gather.attributes == ["input": "speech", "action": Self.action, "method": "POST", "speechTimeout": "auto",
                                      "language": "en-US", "actionOnEmptyResult": "true"])
        // The empty prompt line is not said.
        #expect(gather.elements.map(\.name) == ["Say"])
        #expect(gather.elements[0].attributes == ["voice": "Polly.Joanna", "language": "en-US"])
        #expect(gather.elements[0].text == "Thanks for calling Acme Plumbing & Drain.")
        #expect(answer.verbNames == ["Gather"])
        #expect(answer.spoken == ["Thanks for calling Acme Plumbing & Drain."])
    }

    @Test func customerWords_andMarkup_cannotBreakOutOfTheText() throws {
        let nasty = "5 < 6 & \"quotes\" 'too' ]]> </Say><Hangup/> \u{0007}bell"
        var answer = TwiML(voice: "man\" onload=\"x", language: "en-US")
        answer.say(nasty)
        answer.dial("+15125550199", action: Self.action + "&dial=1")
        answer.hangup()
        let root = try XMLDocument.parse(Array(answer.body.utf8))
        #expect(root.elements.map(\.name) == ["Say", "Dial", "Hangup"])
        // Control characters XML cannot carry are dropped; everything else arrives intact.
        #expect(root.elements[0].text == "5 < 6 & \"quotes\" 'too' ]]> </Say><Hangup/> bell")
        #expect(root.elements[0].attributes["voice"] == "man\" onload=\"x")
        #expect(root.elements[1].attributes == ["action": Self.action + "&dial=1", "method": "POST", "timeout": "20"])
        #expect(root.elements[1].text == "+15125550199")
        #expect(root.elements[2].content.isEmpty)
    }

    @Test func escape_coversTheFiveEntities() {
        #expect(TwiML.escape("<a href='x'>&\"</a>") == "&lt;a href=&apos;x&apos;&gt;&amp;&quot;&lt;/a&gt;")
        #expect(TwiML.escape("tab\tline\nok\u{0}\u{1F}\u{FFFE}") == "tab\tline\nok")
        #expect(TwiML.escape("Zoë — 💧") == "Zoë — 💧")
    }
}
