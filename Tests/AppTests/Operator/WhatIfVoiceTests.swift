import Integration
import Model
import Native
import Routing
import Testing
@testable import App
@testable import Sandbox

/// `what-if` replays a phone call as a call (issue 17, item 5): what the recorded call said to the
/// caller is said again, not texted. Before, the dry run had no caller on the line, so every
/// spoken message came back as an SMS and an unchanged file reported the call as changed.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct WhatIfVoiceTests {
    static let path = "/v1/tenants/acme-plumbing/webhooks/twilio-voice"

    static func postCall(_ server: InProcessServer, _ form: [(String, String)], query: String) async throws -> HTTPClient.Response {
        let url = server.base + path + query
        let signature = WebhookSignatures.twilio(authToken: "sandbox-twilio-token-acme", url: url, parameters: form)
        return try await server.client.send(HTTPClient.Request(
            method: "POST", url: url, headers: [("Content-Type", "application/x-www-form-urlencoded"), ("X-Twilio-Signature", signature)],
            body: FormFields.encode(form), timeoutSeconds: 20))
    }

    @Test func aCallIsReplayedAsACall_andAnUnchangedFileChangesNothing() async throws {
        let server = try InProcessServer()
        let form: [(String, String)] = [("AccountSid", "AC0000000000000000000000000000ac01"), ("CallSid", "CA" + String(repeating: "5", count: 32)),
                                        ("CallStatus", "in-progress"), ("From", "+15125550177"), ("To", "+15125550100"),
                                        ("SpeechResult", "my kitchen sink is clogged, I'm in 78704"), ("Confidence", "0.93")]
        let answer = try await Self.postCall(server, form, query: "?turn=1")
        #expect(answer.status == 200 && answer.bodyText.contains("<Say"), "\(answer.bodyText)")
        // What the recorded call sent, and on which channel.
        let list = try await server.call("GET", "/v1/tenants/acme-plumbing/interactions", key: InProcessServer.operatorKey)
        let id = try #require(list["data"]?.arrayValue?.first?["id"]?.stringValue, "\(list)")
        let trace = try await server.call("GET", "/v1/tenants/acme-plumbing/interactions/\(id)", key: InProcessServer.operatorKey)
        let channels = (trace["steps"]?.arrayValue ?? []).flatMap { $0["messages"]?.arrayValue ?? [] }.compactMap { $0["channel"]?.stringValue }
        // On a loaded machine the call's answer deadline can pass before the flow speaks, and the
        // call texts everything; the replay must then text everything too, so the summary below
        // holds either way (the spoken case is the one the fix is for, and the usual one).
        if !channels.contains("voice") { print("what-if voice test: the recorded call spoke nothing (\(channels))") }

        let original = SpawnedProcess.packageRoot + "/tenants/acme-plumbing.yaml"
        let same = try await server.tool(["what-if", original, "--db", server.databasePath, "--since", "1h"], key: nil)
        #expect(same.status == 0, "\(same.errors)")
        #expect(same.output.contains("Summary: 1 replayed: 0 with another outcome or path, 0 with another price, 0 with other messages; 1 unchanged."),
                "\(same.output)")
        await server.app.engine.shutdown(timeoutSeconds: 1)
    }
}
