import Glibc
import Integration
import Model
import Native
import Testing

/// The real binary at debug log level, with Acme's credentials set to unique canaries, taken
/// through a booking with failing providers, refused and accepted webhooks and a bad key: no
/// canary may appear in its logs, its metrics or any answer it gives.
@Suite(.timeLimit(.minutes(2)))
struct SecretsInLogsTests {
    static let canaries = [
        "ACME_STRIPE_SECRET_KEY": "sk_test_CANARYstripe4f1c9e",
        "ACME_STRIPE_WEBHOOK_SECRET": "whsec_CANARYstripehook77aa",
        "ACME_TWILIO_AUTH_TOKEN": "CANARYtwiliotoken55b2e0",
        "ACME_HUBSPOT_TOKEN": "pat-CANARYhubspot9d0e",
        "ACME_CALCOM_API_KEY": "cal_CANARYcalcom31f7",
        "ACME_CALCOM_WEBHOOK_SECRET": "CANARYcalhook8c21",
        "ACME_SLACK_WEBHOOK_PATH": "/services/T0ACME/B0DISPATCH/CANARYslack6e",
    ]
    static let presentedKey = "sk_live_CANARYpresentedkey01"

    @Test func credentials_neverReachLogsMetricsOrAnswers() async throws {
        let process = try SpawnedProcess(["serve", "--db", ":memory:", "--port", "0", "--threads", "1", "--no-watch",
                                          "--tenants", SpawnedProcess.packageRoot + "/tenants", "--log-level", "debug",
                                          "--sandbox", "--sandbox-port", "0", "--sandbox-smtp-port", "0"],
                                         environment: Self.canaries)
        let (port, sandbox) = try await offPool { () -> (Int, String) in
            for _ in 0..<1000 {
                let lines = process.stderr.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
                // The sandbox's HTTP server logs "listening" too: Switchboard's is the other port.
                if let sandbox = lines.first(where: { $0["msg"] == "sandbox providers listening" })?["url"]?.stringValue,
                   let port = lines.filter({ $0["msg"] == "listening" }).compactMap({ $0["port"]?.intValue })
                       .first(where: { !sandbox.hasSuffix(":\($0)") }) {
                    return (Int(port), sandbox)
                }
                usleep(10_000)
            }
            throw SpawnedProcess.Failure(description: "the server did not start: \(process.stderr)")
        }
        let base = "http://127.0.0.1:\(port)"
        let client = try HTTPClient()
        defer { client.shutdown() }
        var answers: [String] = []
        func send(_ method: String, _ url: String, headers: [(String, String)] = [], body: [UInt8] = []) async throws -> HTTPClient.Response {
            let response = try await client.send(HTTPClient.Request(method: method, url: url, headers: headers, body: body, timeoutSeconds: 30))
            answers.append("\(response.headers)\n\(response.bodyText)")
            return response
        }

        // Providers that fail first: the CRM answers 500 twice, Stripe refuses a key once.
        let faults: JSON = ["rules": [["path": "/hubspot", "error_rate": 1, "error_status": 500, "times": 2],
                                       ["path": "/stripe", "error_rate": 1, "error_status": 401, "times": 1]]]
        let faulted = try await send("POST", sandbox + "/sandbox/faults", headers: [("Content-Type", "application/json")],
                                     body: faults.serializedBytes())
        #expect(faulted.status == 201)
        let booking: JSON = ["from": ["phone": "+15125550177", "name": "Dana"], "text": "My kitchen sink is clogged",
                             "fields": ["postal_code": "78704"]]
        let booked = try await send("POST", base + "/v1/tenants/acme-plumbing/interactions",
                                    headers: [("Authorization", "Bearer acme-website-key-2026"), ("Content-Type", "application/json"),
                                              ("Prefer", "wait=20")],
                                    body: booking.serializedBytes())
        let id = try #require(booked.json?["id"]?.stringValue, "\(booked.status) \(booked.bodyText)")

        // A key that is wrong, a webhook signed with the wrong secret, and one signed right.
        _ = try await send("GET", base + "/v1/tenants/acme-plumbing/interactions", headers: [("Authorization", "Bearer \(Self.presentedKey)")])
        let event = Array(#"{"id":"evt_canary_1","object":"event","type":"payment_intent.payment_failed","data":{"object":{"id":"pi_1","object":"payment_intent","amount":100,"metadata":{}}}}"#.utf8)
        let now = Clock.unixSeconds()
        for secret in ["whsec_wrong", Self.canaries["ACME_STRIPE_WEBHOOK_SECRET"]!] {
            let mac = Hex.encode(Crypto.hmac(.sha256, key: Array(secret.utf8), message: Array("\(now).".utf8) + event))
            _ = try await send("POST", base + "/v1/tenants/acme-plumbing/webhooks/stripe",
                               headers: [("Content-Type", "application/json"), ("Stripe-Signature", "t=\(now),v1=\(mac)")], body: event)
        }
        let operatorKey = [("Authorization", "Bearer acme-dispatch-key-2026")]
        let trace = try await send("GET", base + "/v1/tenants/acme-plumbing/interactions/\(id)", headers: operatorKey)
        #expect(trace.status == 200)
        _ = try await send("GET", base + "/v1/tenants/acme-plumbing/stats", headers: operatorKey)
        _ = try await send("GET", base + "/v1/tenants/acme-plumbing/config/status", headers: operatorKey)
        let metrics = try await send("GET", base + "/metrics")
        #expect(metrics.bodyText.contains("switchboard_provider_calls_total"))

        kill(process.pid, SIGTERM)
        #expect(process.waitForExit() == 0)
        let logs = process.stderr
        // The run did what it should have: a retried and a failed provider call were logged.
        #expect(logs.contains("\"msg\":\"retrying provider call\""))
        #expect(logs.contains("\"msg\":\"provider call failed\""))
        for secret in Array(Self.canaries.values) + [Self.presentedKey] {
            #expect(!logs.contains(secret), "\(secret) appears in the logs")
            for answer in answers { #expect(!answer.contains(secret), "\(secret) appears in an answer") }
        }
    }
}
