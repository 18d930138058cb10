import Model
import Testing
@testable import Interaction

/// What each kind of voice webhook is, and the rule for each turn of a call.
struct VoiceDialogueTests {
    static let call: [(String, String)] = [("CallSid", "CA0123456789abcdef0123456789abcdef"), ("AccountSid", "AC1"),
                                           ("From", "+15125550100"), ("To", "+15125550142"), ("CallStatus", "in-progress")]
    static let voice = VoiceChannel(number: "+15125550142", operatorNumber: "+15125550199", minConfidence: 0.5, transferAfterUnclear: 2)

    private func request(_ extra: [(String, String)] = [], query: [String: String] = [:], status: String? = nil) throws -> VoiceRequest {
        var form = Self.call
        if let status { form[4] = ("CallStatus", status) }
        return try VoiceRequest(form: form + extra, query: query)
    }

    @Test func kinds_followTheFormAndTheActionURL() throws {
        #expect(try request(status: "ringing").kind == .incoming)
        #expect(try request([("SpeechResult", "  My sink is clogged. "), ("Confidence", "0.91")], query: ["turn": "2"]).kind
                == .speech(text: "My sink is clogged.", confidence: 0.91))
        #expect(try request([("SpeechResult", "")], query: ["turn": "2"]).kind == .silence)
        #expect(try request(query: ["turn": "3"]).kind == .silence)
        #expect(try request([("DialCallStatus", "no-answer")], query: ["turn": "4", "dial": "1"]).kind == .dialEnded(status: "no-answer"))
        #expect(try request([("CallDuration", "48")], status: "completed").kind == .ended(status: "completed", durationSeconds: 48))
        #expect(try request(status: "no-answer").kind == .ended(status: "no-answer", durationSeconds: nil))
        // A confidence out of range is clamped, a missing one stays unknown.
        #expect(try request([("SpeechResult", "hi"), ("Confidence", "7")], query: ["turn": "2"]).confidence == 1)
        #expect(try request([("SpeechResult", "hi")], query: ["turn": "2"]).confidence == nil)
    }

    @Test func theURLState_isBoundedAndRoundTrips() throws {
        let query = VoiceRequest.query(turn: 4, unclear: 1, silent: 0, earlier: [.unclear, .silent])
        #expect(query == "turn=4&unclear=1&h=us")
        var items: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=")
            items[String(parts[0])] = String(parts[1])
        }
        let parsed = try request([("SpeechResult", "x")], query: items)
        #expect(parsed.turn == 4 && parsed.unclear == 1 && parsed.silent == 0 && parsed.earlier == [.unclear, .silent])
        let hostile = try request(query: ["turn": "-3", "unclear": "99999", "h": "uxs!"])
        #expect(hostile.turn == 1 && hostile.unclear == 0 && hostile.earlier == [.unclear, .silent])
    }

    @Test func aRequestWithoutACallSid_isRefusedByName() {
        #expect(throws: NormalisationError.invalid("CallSid", "required in a Twilio voice webhook")) {
            try VoiceRequest(form: [("From", "+15125550100")], query: [:])
        }
    }

    @Test func withheldNumbers_cannotBeTexted() throws {
        #expect(try request().hasCallerNumber)
        for from in ["+266696687", "anonymous", "", "+0123456789", "+15125"] {
            var form = Self.call
            form[2] = ("From", from)
            #expect(try !VoiceRequest(form: form, query: [:]).hasCallerNumber, "\(from)")
        }
    }

    @Test func answering_andWithheldNumbers() throws {
        #expect(VoiceDialogue.decide(try request(status: "ringing"), voice: Self.voice) == .greet)
        var form = Self.call
        form[2] = ("From", "+266696687")
        #expect(VoiceDialogue.decide(try VoiceRequest(form: form, query: [:]), voice: Self.voice) == .noCallerID)
        // Nor are the turns of such a call, if Twilio posts them anyway; its end is still recorded.
        #expect(VoiceDialogue.decide(try VoiceRequest(form: form + [("SpeechResult", "hi")], query: ["turn": "2"]), voice: Self.voice)
                == .noCallerID)
        form[4] = ("CallStatus", "completed")
        #expect(VoiceDialogue.decide(try VoiceRequest(form: form, query: [:]), voice: Self.voice) == .ended(status: "completed", durationSeconds: nil))
    }

    @Test func clearSpeech_runs_unclearSpeech_isAskedAgain_thenTransferred() throws {
        let clear = try request([("SpeechResult", "sink clogged"), ("Confidence", "0.5")], query: ["turn": "2"])
        #expect(VoiceDialogue.decide(clear, voice: Self.voice) == .run(text: "sink clogged", confidence: 0.5))
        let mumble = try request([("SpeechResult", "mm"), ("Confidence", "0.3")], query: ["turn": "2"])
        #expect(VoiceDialogue.decide(mumble, voice: Self.voice) == .askAgain(.notUnderstood))
        let again = try request([("SpeechResult", "mm"), ("Confidence", "0.3")], query: ["turn": "3", "unclear": "1"])
        #expect(VoiceDialogue.decide(again, voice: Self.voice) == .transfer(reason: "not understood 2 times in a row"))
        var noOperator = Self.voice
        noOperator.operatorNumber = nil
        #expect(VoiceDialogue.decide(again, voice: noOperator) == .farewell(.unavailable, reason: "not understood 2 times in a row"))
    }

    @Test func askingForAPerson_transfers_butOrdinaryRequestsDoNot() throws {
        for text in ["Operator!", "can I talk to a real person", "I want to speak to someone please", "get me a human"] {
            #expect(VoiceDialogue.asksForOperator(text), "\(text)")
        }
        for text in ["can someone come tomorrow morning?", "the person who came last time was great", "my travel agent booked it"] {
            #expect(!VoiceDialogue.asksForOperator(text), "\(text)")
        }
        let asks = try request([("SpeechResult", "operator please"), ("Confidence", "0.2")], query: ["turn": "2"])
        #expect(VoiceDialogue.decide(asks, voice: Self.voice) == .transfer(reason: "the caller asked for a person"))
        var noOperator = Self.voice
        noOperator.operatorNumber = nil
        #expect(VoiceDialogue.decide(asks, voice: noOperator) == .askAgain(.notUnderstood))
    }

    @Test func silence_isAskedAboutOnce_thenGoodbye() throws {
        #expect(VoiceDialogue.decide(try request(query: ["turn": "2"]), voice: Self.voice) == .askAgain(.noInput))
        #expect(VoiceDialogue.decide(try request(query: ["turn": "3", "silent": "1"]), voice: Self.voice)
                == .farewell(.goodbye, reason: "nothing heard 2 times in a row"))
    }

    @Test func theEndOfATransfer_andOfTheCall_areReported() throws {
        #expect(VoiceDialogue.decide(try request([("DialCallStatus", "completed")], query: ["turn": "3", "dial": "1"]), voice: Self.voice)
                == .dialEnded(status: "completed"))
        #expect(VoiceDialogue.decide(try request([("CallDuration", "12")], status: "busy"), voice: Self.voice)
                == .ended(status: "busy", durationSeconds: 12))
    }
}
