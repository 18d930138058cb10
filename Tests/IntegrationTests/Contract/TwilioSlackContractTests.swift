import HTTP
import Integration
import Model
import Testing

/// Twilio's Messages request against twilio.openapi.json, and Slack's against its documented contract.
@Suite(.timeLimit(.minutes(1)), .enabled(if: OpenAPIContract.isAvailable, "needs ../shared/providers"))
struct TwilioSlackContractTests {
    static let sid = "AC0123456789abcdef0123456789abcdef"

    @Test func sendSMS_matchesTheSpec_andDecodesTheSpecsExample() async throws {
        let spec = try OpenAPIContract("twilio")
        let example = try #require(spec.example("post", "/2010-04-01/Accounts/\(Self.sid)/Messages.json", status: "201"))
        let server = try CaptureServer { _ in .json(example, status: .created) }
        let runtime = try IntegrationRuntime(metrics: MetricsRegistry())
        let twilio = TwilioMessaging(configuration: .init(baseURL: server.url, accountSID: Self.sid, authToken: "tok-secret"), runtime: runtime)
        let sent = try await twilio.sendSMS(SMSMessage(to: "+14155550101", sender: .number("+14155550100"), body: "Booked ✅",
                                                       statusCallback: "https://sb.example/v1/tenants/acme/webhooks/twilio-status"),
                                            context: CallContext(tenant: "acme", idempotencyKey: "i-1:sms"))
        #expect(sent == SentMessage(sid: "SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", status: "queued"))
        let request = try #require(server.requests.first)
        #expect(spec.problems(request) == [])
        #expect(request.path == "/2010-04-01/Accounts/\(Self.sid)/Messages.json")
        #expect(request.headers["Authorization"] == "Basic " + Base64.encode(Array("\(Self.sid):tok-secret".utf8)))
        #expect(FormDecoding.pairs(request.body).map { "\($0.0)=\($0.1)" } == [
            "To=+14155550101", "From=+14155550100", "Body=Booked ✅",
            "StatusCallback=https://sb.example/v1/tenants/acme/webhooks/twilio-status",
        ])
        #expect(request.headers["Idempotency-Key"] == nil)
        runtime.client.shutdown()
        try await server.stop()
    }

    @Test func slack_postsJSONTextWithoutAuthorization() async throws {
        let server = try CaptureServer { _ in .text("ok", contentType: "text/html") }
        let runtime = try IntegrationRuntime(metrics: MetricsRegistry())
        let slack = SlackNotifier(configuration: .init(webhookURL: "\(server.url)/services/T1/B1/secret"), runtime: runtime)
        try await slack.notify("Job #12 booked", context: CallContext(tenant: "acme", idempotencyKey: "i-1:notify"))
        let request = try #require(server.requests.first)
        #expect(request.method == .post)
        #expect(request.path == "/services/T1/B1/secret")
        #expect(request.mediaType == "application/json")
        #expect(request.headers["Authorization"] == nil)
        #expect(try JSONParser.parse(request.body) == ["text": "Job #12 booked"])
        runtime.client.shutdown()
        try await server.stop()
    }
}
