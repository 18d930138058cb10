import HTTP
import Integration
import Model
import Native
import Testing
@testable import Sandbox
@testable import App

/// Tenant isolation on every route, request smuggling and header injection on raw sockets, and
/// bodies built to exhaust the server.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct SecurityTests {
    static let riverside = "riverside-physio"
    static let riversidePhone = "+447700900123"
    static let acmeSecrets = (stripe: "whsec_sandbox_acme", twilio: "sandbox-twilio-token-acme", calcom: "sandbox-calcom-secret-acme")

    /// Walks the router: every tenant route, every method, tried against Riverside with Acme's API
    /// key, Acme's operator key or (webhooks) Acme's signing secrets. None may answer with
    /// anything but a refusal, and no answer may carry Riverside's data. A route the walk does
    /// not know how to call fails the test, so a new endpoint cannot slip past it.
    @Test func everyTenantRoute_refusesAnotherTenantsKeysAndSecrets() async throws {
        let harness = try Harness()
        let created = try await harness.call("POST", "/v1/tenants/\(Self.riverside)/interactions", key: Harness.riversideKey,
                                             json: ["from": ["phone": .string(Self.riversidePhone)], "text": "my knee hurts"])
        let id = try #require(created.json?["id"]?.stringValue)
        // The positive control: Riverside's own operator key reads it.
        let own = try await harness.call("GET", "/v1/tenants/\(Self.riverside)/interactions/\(id)", key: Harness.riversideOperatorKey)
        #expect(own.status == 200)

        var tried = 0
        for route in harness.app.router.routes where route.pattern.hasPrefix("/v1/tenants/{tenant}/") {
            let path = route.pattern.replacing("{tenant}", with: Self.riverside).replacing("{id}", with: id)
            for method in route.methods {
                let label = "\(method.rawValue) \(route.pattern)"
                var answers: [HTTPClient.Response] = []
                if route.pattern.hasSuffix("/webhooks/{source}") {
                    answers = try await Self.webhooksSignedByAcme(harness, path: path)
                    for answer in answers { #expect(answer.status == 401, "\(label): \(answer.status) \(answer.bodyText)") }
                } else if route.pattern.contains("/checkout/") {
                    // The customer's landing pages are public by design and carry no tenant data.
                    answers = [try await harness.call(method.rawValue, path)]
                    #expect(answers[0].status == 200, "\(label)")
                } else if path.contains("{") {
                    Issue.record("\(label): the isolation walk does not know how to fill this route's parameters; add it")
                } else {
                    for key in [Harness.acmeKey, Harness.acmeOperatorKey] {
                        let answer = try await harness.call(method.rawValue, path, key: key,
                                                            json: method == .get ? nil : ["from": ["phone": "+15125550100"], "text": "x"])
                        #expect(answer.status == 401, "\(label) with an Acme key: \(answer.status) \(answer.bodyText)")
                        answers.append(answer)
                    }
                }
                for answer in answers {
                    #expect(!answer.bodyText.contains(id) && !answer.bodyText.contains(Self.riversidePhone), "\(label) leaked Riverside's data")
                }
                tried += 1
            }
        }
        #expect(tried >= 10)
        // Admin routes take neither tenant's keys.
        for key in [Harness.acmeOperatorKey, Harness.riversideOperatorKey] {
            #expect(try await harness.call("GET", "/v1/admin/tenants", key: key).status == 401)
        }
    }

    /// A Stripe, a Twilio SMS, a Twilio Voice and a Cal.com webhook for `path`'s tenant, each correctly signed but
    /// with Acme's secrets.
    static func webhooksSignedByAcme(_ harness: Harness, path: String) async throws -> [HTTPClient.Response] {
        let now = Clock.unixSeconds()
        let stripeBody = APIContractTests.stripeEvent("evt_cross_1", type: "payment_intent.succeeded")
        let stripe = HTTPClient.Request(
            method: "POST", url: harness.base + path.replacing("{source}", with: "stripe"),
            headers: [("Content-Type", "application/json"),
                      ("Stripe-Signature", APIContractTests.stripeSignature(stripeBody, secret: acmeSecrets.stripe, at: now))],
            body: stripeBody)

        let twilioURL = harness.base + path.replacing("{source}", with: "twilio")
        let parameters = [("AccountSid", "AC0000000000000000000000000000bf02"), ("Body", "yes"), ("From", riversidePhone),
                          ("MessageSid", "SM00000000000000000000000000000001"), ("To", "+442079460000")]
        let signed = twilioURL + parameters.map { $0.0 + $0.1 }.joined()
        let twilio = HTTPClient.Request(
            method: "POST", url: twilioURL,
            headers: [("Content-Type", "application/x-www-form-urlencoded"),
                      ("X-Twilio-Signature", Base64.encode(Crypto.hmac(.sha1, key: Array(acmeSecrets.twilio.utf8), message: Array(signed.utf8))))],
            body: Array(parameters.map { "\($0.0)=\($0.1.replacing("+", with: "%2B"))" }.joined(separator: "&").utf8))

        let voiceURL = harness.base + path.replacing("{source}", with: "twilio-voice")
        let call = [("AccountSid", "AC0000000000000000000000000000bf02"), ("CallSid", "CA00000000000000000000000000000001"),
                    ("CallStatus", "ringing"), ("From", riversidePhone), ("To", "+442079460000")]
        let voice = HTTPClient.Request(
            method: "POST", url: voiceURL,
            headers: [("Content-Type", "application/x-www-form-urlencoded"),
                      ("X-Twilio-Signature", WebhookSignatures.twilio(authToken: acmeSecrets.twilio, url: voiceURL, parameters: call))],
            body: FormFields.encode(call))

        let calcomBody = Array(#"{"triggerEvent":"BOOKING_CANCELLED","createdAt":"2026-11-22T10:00:00Z","payload":{"uid":"x"}}"#.utf8)
        let calcom = HTTPClient.Request(
            method: "POST", url: harness.base + path.replacing("{source}", with: "calcom"),
            headers: [("Content-Type", "application/json"),
                      ("X-Cal-Signature-256", Hex.encode(Crypto.hmac(.sha256, key: Array(acmeSecrets.calcom.utf8), message: calcomBody)))],
            body: calcomBody)
        var answers: [HTTPClient.Response] = []
        for request in [stripe, twilio, voice, calcom] { answers.append(try await harness.client.send(request)) }
        return answers
    }

    /// Requests that would smuggle a second request past a proxy, or inject headers, are refused
    /// with 400 and the connection is closed: the hidden request never runs.
    @Test(arguments: [
        ("Content-Length with Transfer-Encoding", "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"),
        ("differing Content-Lengths", "Content-Length: 5\r\nContent-Length: 6\r\n"),
        ("Content-Length list", "Content-Length: 5, 6\r\n"),
        ("whitespace before the colon", "Transfer-Encoding : chunked\r\n"),
        ("obsolete line folding", "Transfer-Encoding: identity\r\n chunked\r\n"),
        ("unknown transfer coding", "Transfer-Encoding: xchunked\r\n"),
        ("chunked not last", "Transfer-Encoding: chunked, identity\r\n"),
        ("bare CR in a value", "X-Note: a\rSet-Cookie: b=c\r\nContent-Length: 5\r\n"),
        ("NUL in a value", "X-Note: a\u{0}b\r\nContent-Length: 5\r\n"),
    ])
    func smugglingAndInjection_areRefusedAndTheHiddenRequestNeverRuns(_ label: String, _ framing: String) async throws {
        let harness = try Harness()
        let hidden = "POST /v1/tenants/acme-plumbing/interactions HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \(Harness.acmeKey)\r\n"
            + "Content-Type: application/json\r\nContent-Length: 41\r\n\r\n{\"from\":{\"phone\":\"+15125550111\"},\"text\":\"x\"}"
        let request = "POST /v1/tenants/acme-plumbing/interactions HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \(Harness.acmeKey)\r\n"
            + "Content-Type: application/json\r\n" + framing + "\r\n0\r\n\r\n" + hidden
        let answer = try await harness.rawExchange(Array(request.utf8))
        let statuses = answer.ranges(of: "HTTP/1.1 ").map { String(answer[$0.upperBound...].prefix(3)) }
        #expect(statuses.count == 1, "\(label): \(statuses)")
        #expect(statuses.first.map { $0.hasPrefix("4") || $0.hasPrefix("5") } == true, "\(label): \(answer.prefix(200))")
        #expect(answer.contains("Connection: close"), "\(label)")
        let stored = try await harness.call("GET", "/v1/tenants/acme-plumbing/interactions", key: Harness.acmeOperatorKey)
        #expect(stored.json?["data"]?.arrayValue?.isEmpty == true, "\(label): a request was stored")
    }

    /// Bodies past the server's or the tenant's limit are refused before they are parsed, and a
    /// document nested past the parser's depth limit is a 400, not a stack overflow.
    @Test func oversizedAndDeeplyNestedJSON_areRefused_andTheServerCarriesOn() async throws {
        let harness = try Harness()
        let path = "/v1/tenants/acme-plumbing/interactions"
        let padding = String(repeating: "x", count: 70_000)  // over Acme's 64 KiB max_body_bytes
        let large = try await harness.call("POST", path, key: Harness.acmeKey, json: ["from": ["phone": "+15125550100"], "text": .string(padding)])
        #expect(large.status == 413)
        #expect(large.json?.value(at: "error.code") != nil)

        var huge = HTTPClient.Request(method: "POST", url: harness.base + path,
                                      headers: [("Authorization", "Bearer \(Harness.acmeKey)"), ("Content-Type", "application/json")])
        huge.body = [UInt8](repeating: UInt8(ascii: " "), count: 2 << 20)  // over the server's 1 MiB
        #expect(try await harness.client.send(huge).status == 413)

        let depth = 20_000
        var nested = HTTPClient.Request(method: "POST", url: harness.base + path,
                                        headers: [("Authorization", "Bearer \(Harness.acmeKey)"), ("Content-Type", "application/json")])
        nested.body = Array(("{\"from\":{\"phone\":\"+15125550100\"},\"text\":\"x\",\"fields\":{\"a\":"
            + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}}").utf8)
        let deep = try await harness.client.send(nested)
        #expect(deep.status == 400)
        #expect(deep.bodyText.contains("deep") || deep.bodyText.contains("depth") || deep.bodyText.contains("nest"), "\(deep.bodyText)")

        #expect(try await harness.call("GET", "/healthz").status == 200)
        let stored = try await harness.call("GET", path, key: Harness.acmeOperatorKey)
        #expect(stored.json?["data"]?.arrayValue?.isEmpty == true)
    }

    /// After a booking (provider calls, a payment link, messages) and refused webhooks, nothing in
    /// `/metrics`, the list or the trace carries a credential.
    @Test func metricsListAndTrace_carryNoCredentials() async throws {
        let harness = try Harness()
        let booked = try await AcmePlumbingTests.book(harness, phone: "+15125550192")
        _ = try await Self.webhooksSignedByAcme(harness, path: "/v1/tenants/\(Self.riverside)/webhooks/{source}")
        let metrics = try await harness.call("GET", "/metrics").bodyText
        let list = try await harness.call("GET", "/v1/tenants/acme-plumbing/interactions", key: Harness.acmeOperatorKey).bodyText
        #expect(metrics.contains("switchboard_provider_calls_total"))
        for (name, text) in [("metrics", metrics), ("list", list), ("trace", booked.serialized())] {
            for secret in Self.exampleSecrets {
                #expect(!text.contains(secret), "\(secret) appears in the \(name)")
            }
        }
    }

    /// Every credential the example tenants use with the sandbox.
    static let exampleSecrets = [
        "sk_test_sandbox_acme", "pat-sandbox-acme", "cal_sandbox_acme", "sandbox-twilio-token-acme", "whsec_sandbox_acme",
        "sandbox-calcom-secret-acme", "/services/T0ACME/B0DISPATCH/sandbox", Harness.acmeKey, Harness.acmeOperatorKey,
        "sk_test_sandbox_riverside", "pat-sandbox-riverside", "cal_sandbox_riverside", "sandbox-twilio-token-riverside",
        "whsec_sandbox_riverside", "sandbox-calcom-secret-riverside", "/services/T0RIVER/B0DESK/sandbox", Harness.riversideKey,
        Harness.riversideOperatorKey,
    ]
}
