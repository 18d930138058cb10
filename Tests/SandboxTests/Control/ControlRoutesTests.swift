import Model
import Native
import Sandbox
import Testing

/// Faults, the state dump, the outbox and reset through the control endpoints.
@Suite(.timeLimit(.minutes(1)))
struct ControlRoutesTests {
    @Test func faults_injectProviderShapedErrorsAndRateLimits_andExpire() async throws {
        let client = try SandboxClient()
        let (status, _) = try await client.json("POST", "/sandbox/faults", ["rules": [
            ["path": "/twilio", "rate_limit_rate": 1, "retry_after": 3, "times": 1],
            ["path": "/hubspot", "method": "POST", "error_rate": 1, "error_status": 503, "times": 1],
        ]])
        #expect(status == 201)
        let sid = "AC0123456789abcdef0123456789abcdef"
        let auth = [("Authorization", "Basic " + Base64.encode(Array("\(sid):t".utf8))), ("Content-Type", "application/x-www-form-urlencoded")]
        let limited = try await client.send("POST", "/twilio/2010-04-01/Accounts/\(sid)/Messages.json", headers: auth,
                                            body: "To=%2B14155550101&From=%2B14155550100&Body=x")
        #expect(limited.status == 429)
        #expect(limited.header("Retry-After") == "3")
        #expect(try JSONParser.parse(limited.body)["code"]?.intValue == 20429)
        let sent = try await client.send("POST", "/twilio/2010-04-01/Accounts/\(sid)/Messages.json", headers: auth,
                                         body: "To=%2B14155550101&From=%2B14155550100&Body=x")
        #expect(sent.status == 201)
        let failed = try await client.json("POST", "/hubspot/crm/v3/objects/contacts", ["properties": ["email": "a@b.c"]],
                                           headers: [("Authorization", "Bearer pat-x")])
        #expect(failed.0 == 503)
        #expect(failed.1["category"]?.stringValue == "INTERNAL_ERROR")
        #expect(try await client.json("GET", "/sandbox/faults").1["faults"] == [])
        #expect(client.sandbox.requestCounts["POST /twilio/2010-04-01/Accounts/{AccountSid}/Messages.json"] == 2)
        try await client.stop()
    }

    @Test func latency_isAddedBeforeAnswering() async throws {
        let client = try SandboxClient { $0.faults = [FaultRule(pathPrefix: "/sandbox/echo", latencyMillis: 120)] }
        let started = Clock.monotonicNanos()
        let response = try await client.send("POST", "/sandbox/echo", headers: [("Content-Type", "application/json")], body: "{\"a\":1}")
        #expect(response.bodyText == "{\"a\":1}")
        #expect(Clock.monotonicNanos() - started >= 120_000_000)
        try await client.stop()
    }

    @Test func badRules_areRefusedWithTheReason() async throws {
        let client = try SandboxClient()
        let (status, body) = try await client.json("POST", "/sandbox/faults", ["error_rate": 2])
        #expect(status == 400)
        #expect(body.value(at: "error.message")?.stringValue == "error_rate and rate_limit_rate must be between 0 and 1")
        try await client.stop()
    }

    @Test func outboxStateAndReset() async throws {
        let client = try SandboxClient()
        _ = try await client.json("POST", "/slack/services/T1/B1/tok", ["text": "Job &lt;12&gt; booked"])
        let (_, outbox) = try await client.json("GET", "/sandbox/outbox?kind=slack")
        #expect(outbox.value(at: "messages.0.body")?.stringValue == "Job <12> booked")
        let html = try await client.send("GET", "/sandbox/outbox?format=html")
        #expect(html.header("Content-Type") == "text/html; charset=utf-8")
        #expect(html.bodyText.contains("Job &lt;12&gt; booked"))
        #expect(try await client.json("GET", "/sandbox/state").1.value(at: "slack.posts")?.intValue == 1)
        _ = try await client.json("POST", "/sandbox/reset")
        #expect(try await client.json("GET", "/sandbox/state").1.value(at: "slack.posts")?.intValue == 0)
        let index = try await client.json("GET", "/sandbox").1
        #expect(index["stripe"]?.stringValue == client.sandbox.baseURL + "/stripe")
        #expect(index["smtp"]?.stringValue == client.sandbox.smtpURL)
        try await client.stop()
    }

    @Test func environment_namesEveryBaseURL() throws {
        let sandbox = try SandboxServer(configuration: .init())
        try sandbox.start()
        let environment = sandbox.environment
        #expect(environment["SWITCHBOARD_SANDBOX_URL"] == sandbox.baseURL)
        #expect(environment["SWITCHBOARD_SANDBOX_SMTP"] == sandbox.smtpURL)
        #expect(environment["SWITCHBOARD_SANDBOX_STRIPE_URL"] == sandbox.baseURL + "/stripe")
        sandbox.shutdown()
        sandbox.waitUntilStopped()
    }
}
