import Testing
@testable import Sandbox

/// What the sandbox plays of a TwiML answer, and the documents Twilio would refuse.
struct TwiMLProgramTests {
    static let url = "http://127.0.0.1:8080/v1/tenants/acme/webhooks/twilio-voice"

    private func parse(_ body: String) throws(TwiMLProgram.Failure) -> TwiMLProgram {
        try TwiMLProgram.parse(Array(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + body).utf8), documentURL: Self.url)
    }

    @Test func theVerbsSwitchboardUses_parse() throws {
        let program = try parse("""
            <Response><Gather input="speech" action="/v1/next?turn=2" method="POST" speechTimeout="auto" language="en-US" actionOnEmptyResult="true">\
            <Say voice="Polly.Joanna" language="en-US">Hello</Say><Pause length="1"/></Gather>\
            <Dial action="https://x.example/dial" timeout="20"><Number>+15125550199</Number></Dial>\
            <Redirect method="GET">https://x.example/again</Redirect><Hangup/></Response>
            """)
        #expect(program.verbs == [
            .gather(.init(action: "http://127.0.0.1:8080/v1/next?turn=2", method: "POST", input: ["speech"], speechTimeout: "auto",
                          language: "en-US", actionOnEmptyResult: true,
                          prompt: [.say(text: "Hello", voice: "Polly.Joanna", language: "en-US"), .pause(seconds: 1)])),
            .dial(.init(number: "+15125550199", action: "https://x.example/dial", method: "POST", timeoutSeconds: 20)),
            .redirect(url: "https://x.example/again", method: "GET"),
            .hangup,
        ])
        #expect(VoiceSimulator.heardFirst(program.verbs) == ["Hello"])
    }

    @Test(arguments: [
        ("<Response><Say>a</Response>", 12100, "document parse failure: line 1, column 55: </Response> closes <Say>"),
        ("<Reply/>", 12200, "the root element is <Reply>, not <Response>"),
        ("<Response><Say vioce=\"man\">a</Say></Response>", 12200, "<Say> has no attribute \"vioce\" (it takes language, loop, voice)"),
        ("<Response><Gather input=\"voice\"/></Response>", 12200, "<Gather input> must be dtmf, speech or \"dtmf speech\""),
        ("<Response><Gather speechTimeout=\"soon\"/></Response>", 12200, "<Gather speechTimeout> must be auto or a whole number of seconds"),
        ("<Response><Gather actionOnEmptyResult=\"yes\"/></Response>", 12200, "<Gather actionOnEmptyResult> must be true or false"),
        ("<Response><Gather><Dial>+1</Dial></Gather></Response>", 12200, "<Gather> may hold <Say> and <Pause> here, not <Dial>"),
        ("<Response><Dial> </Dial></Response>", 12200, "<Dial> has no number to call"),
        ("<Response><Hangup>now</Hangup></Response>", 12200, "<Hangup> holds no text"),
        ("<Response><Play>https://x/a.mp3</Play></Response>", 12200, "<Play> is TwiML the sandbox does not play"),
        ("<Response><Speak>hi</Speak></Response>", 12200, "<Speak> is not a TwiML voice verb"),
        ("<Response>hello</Response>", 12200, "<Response> holds no text"),
        ("<Response><Redirect>next.xml</Redirect></Response>", 12200,
         "\"next.xml\" is not a URL the sandbox can follow (use an absolute URL or a path starting with /)"),
        ("<Response><Gather method=\"PUT\"/></Response>", 12200, "<Gather method> must be GET or POST"),
    ])
    func invalidTwiML_getsTwiliosErrorCode(_ body: String, _ code: Int, _ message: String) {
        do {
            _ = try parse(body)
            Issue.record("expected Twilio error \(code)")
        } catch {
            #expect(error == TwiMLProgram.Failure(code: code, message: message))
        }
    }
}
