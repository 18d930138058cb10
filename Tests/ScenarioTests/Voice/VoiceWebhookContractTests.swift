import Integration
import Model
import Native
import Testing
@testable import App
@testable import Sandbox

/// The voice webhook's contract: Twilio's signature before anything, JSON errors for requests
/// that are not Twilio's, and TwiML (never an error status) for everything Twilio sends — even
/// when Switchboard cannot take the request.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct VoiceWebhookContractTests {
    static let token = "sandbox-twilio-token-riverside"
    static let path = "/v1/tenants/riverside-physio/webhooks/twilio-voice"

    static func form(_ callSID: String, from: String = "+447700900777", extra: [(String, String)] = []) -> [(String, String)] {
        [("AccountSid", "AC0000000000000000000000000000ac02"), ("CallSid", callSID), ("CallStatus", "ringing"), ("From", from),
         ("To", "+442079460321")] + extra
    }

    /// POSTs a form to the voice endpoint, signed with `token` for `query` (nil: unsigned).
    static func post(_ harness: Harness, _ form: [(String, String)], query: String = "", token: String? = token,
                     contentType: String = "application/x-www-form-urlencoded") async throws -> HTTPClient.Response {
        let url = harness.base + path + query
        var headers: [(String, String)] = [("Content-Type", contentType)]
        if let token { headers.append(("X-Twilio-Signature", WebhookSignatures.twilio(authToken: token, url: url, parameters: form))) }
        return try await harness.client.send(HTTPClient.Request(method: "POST", url: url, headers: headers, body: FormFields.encode(form),
                                                                timeoutSeconds: 20))
    }

    @Test func signaturesAndBodies_areCheckedBeforeAnything() async throws {
        let harness = try Harness()
        let speech = Self.form("CA00000000000000000000000000000001", extra: [("SpeechResult", "sports massage please"), ("Confidence", "0.9")])
        let unsigned = try await Self.post(harness, speech, query: "?turn=2", token: nil)
        let wrongToken = try await Self.post(harness, speech, query: "?turn=2", token: "not-the-token")
        // The query is signed too: changing the turn breaks the signature.
        var tampered = HTTPClient.Request(method: "POST", url: harness.base + Self.path + "?turn=3",
                                          headers: [("Content-Type", "application/x-www-form-urlencoded"),
                                                    ("X-Twilio-Signature", WebhookSignatures.twilio(authToken: Self.token,
                                                                                                    url: harness.base + Self.path + "?turn=2",
                                                                                                    parameters: speech))],
                                          body: Array("CallSid=x".utf8), timeoutSeconds: 10)
        let moved = try await harness.client.send(tampered)
        for response in [unsigned, wrongToken, moved] {
            #expect(response.status == 401)
            #expect(response.json?.value(at: "error.code") == "invalid_signature")
        }
        tampered.url = harness.base + "/v1/tenants/no-such-tenant/webhooks/twilio-voice"
        #expect(try await harness.client.send(tampered).status == 401)
        let json = try await Self.post(harness, speech, query: "?turn=2", contentType: "application/json")
        #expect(json.status == 415)
        let noCall = try await Self.post(harness, [("From", "+447700900777")])
        #expect(noCall.status == 422)
        #expect(noCall.json?.value(at: "error.message") == "CallSid: required in a Twilio voice webhook")
        let list = try await harness.call("GET", "/v1/tenants/riverside-physio/interactions", key: Harness.riversideOperatorKey)
        #expect(list.json?["data"]?.arrayValue?.isEmpty == true)  // nothing stored
    }

    @Test func overTheRateLimit_theCallerIsToldInTwiML_andNothingIsStored() async throws {
        // Riverside at 1 request a second with its burst of 20, so that a token cannot come back
        // between the refusal and the next turn on a loaded machine.
        let directory = try FileSystem.makeTemporaryDirectory(prefix: "switchboard-voice-limit")
        defer { FileSystem.removeTree(directory) }
        let riverside = String(decoding: try FileSystem.readFile(Harness.repositoryPath("tenants/riverside-physio.yaml")), as: UTF8.self)
        let slowed = riverside.replacingFirst("    requests_per_second: 5\n", with: "    requests_per_second: 1\n")
        try #require(slowed != riverside, "tenants/riverside-physio.yaml's rate moved")
        try FileSystem.writeFileAtomically(directory + "/riverside-physio.yaml", Array(slowed.utf8))
        let harness = try Harness { $0.tenantsDirectory = directory }
        // Answering calls uses the burst up.
        var greeted = 0
        var refusal: HTTPClient.Response?
        for index in 0..<40 where refusal == nil {
            let answer = try await Self.post(harness, Self.form("CA" + String(repeating: "0", count: 30) + String(10 + index)))
            #expect(answer.status == 200)
            if answer.bodyText.contains("<Gather") { greeted += 1 } else { refusal = answer }
        }
        #expect(greeted >= 20)
        let refused = try #require(refusal)
        #expect(refused.header("Content-Type") == "text/xml; charset=utf-8")
        #expect(refused.bodyText == "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say voice=\"Polly.Amy\" language=\"en-GB\">"
                + "Sorry, we can&apos;t book over the phone just now. Please text this number, and our front desk will reply.</Say>"
                + "<Hangup/></Response>")
        // What the caller says next cannot be taken either: it is not stored. A token comes back
        // each second, so on a loaded machine one may have by the time the turn is posted: then
        // the bucket is drained again and the turn tried on a new call, and the turns that got in
        // are the only interactions stored.
        var slippedIn = 0
        var refusedTurn: HTTPClient.Response?
        for attempt in 0..<5 where refusedTurn == nil {
            if attempt > 0 {
                var drained = false
                for index in 0..<40 where !drained {
                    let answer = try await Self.post(harness, Self.form("CA" + String(repeating: "1", count: 28) + String(100 + 40 * attempt + index)))
                    drained = !answer.bodyText.contains("<Gather")
                }
            }
            let speech = try await Self.post(harness, Self.form("CA" + String(repeating: "9", count: 30) + String(10 + attempt),
                                                                extra: [("SpeechResult", "a follow-up appointment"), ("Confidence", "0.9")]),
                                             query: "?turn=2")
            #expect(speech.status == 200)
            if speech.bodyText == refused.bodyText { refusedTurn = speech } else { slippedIn += 1 }
        }
        #expect(refusedTurn != nil, "every turn found a token")
        // The listing takes from the operators' own limit, not the drained one.
        let list = try await harness.call("GET", "/v1/tenants/riverside-physio/interactions", key: Harness.riversideOperatorKey)
        #expect(list.json?["data"]?.arrayValue?.count == slippedIn)
    }

    @Test func aStatusCallback_forACallThatAskedNothing_isAcknowledged() async throws {
        let harness = try Harness()
        let ended = try await Self.post(harness, Self.form("CA00000000000000000000000000000077").map {
            $0.0 == "CallStatus" ? ($0.0, "no-answer") : $0
        } + [("CallDuration", "0")])
        #expect(ended.status == 200)
        #expect(ended.bodyText == "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>")
    }

    @Test func aWithheldNumber_isNotTakenByVoice() async throws {
        let harness = try Harness()
        let answer = try await Self.post(harness, Self.form("CA00000000000000000000000000000078", from: "+266696687"))
        #expect(answer.status == 200)
        #expect(answer.bodyText.contains("we can&apos;t book over the phone just now"))
        #expect(answer.bodyText.hasSuffix("<Hangup/></Response>"))
    }
}
