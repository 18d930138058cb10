import Integration
import Model
import Native
import Testing

/// The HTTP contract: authentication, validation, idempotency, limits, webhook signatures and
/// tenant isolation.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct APIContractTests {
    static let body: JSON = ["from": ["phone": "+15125550190"], "text": "sink clogged", "fields": ["postal_code": "78704"]]

    @Test func credentials_areRequired_andTenantsDoNotLeak() async throws {
        let harness = try Harness()
        let path = "/v1/tenants/acme-plumbing/interactions"
        let none = try await harness.call("POST", path, json: Self.body)
        let wrong = try await harness.call("POST", path, key: "not-a-key", json: Self.body)
        let unknownTenant = try await harness.call("POST", "/v1/tenants/no-such-tenant/interactions", key: Harness.acmeKey, json: Self.body)
        let otherTenant = try await harness.call("POST", "/v1/tenants/riverside-physio/interactions", key: Harness.acmeKey, json: Self.body)
        for response in [none, wrong, unknownTenant, otherTenant] {
            #expect(response.status == 401)
            #expect(response.json?.value(at: "error.code") == "unauthorized")
        }
        // The same message whether the tenant exists or not.
        #expect(unknownTenant.bodyText == wrong.bodyText)
        // An API key cannot list the customer book or act as an operator: its key is valid, so 403.
        let list = try await harness.call("GET", path, key: Harness.acmeKey)
        #expect(list.status == 403)
        let replay = try await harness.call("POST", "\(path)/int_01JD0000000000000000000000/replay", key: Harness.acmeKey)
        #expect(replay.status == 403 && replay.json?.value(at: "error.code") == "forbidden")
    }

    @Test func badBodies_areRejectedWithTheFieldAndReason() async throws {
        let harness = try Harness()
        let path = "/v1/tenants/acme-plumbing/interactions"
        var request = HTTPClient.Request(method: "POST", url: harness.base + path, headers: [("Authorization", "Bearer \(Harness.acmeKey)"),
                                                                                           ("Content-Type", "text/plain")],
                                         body: Array("hi".utf8))
        let media = try await harness.client.send(request)
        #expect(media.status == 415)
        request.headers = [("Authorization", "Bearer \(Harness.acmeKey)"), ("Content-Type", "application/json")]
        request.body = Array("{\"from\":".utf8)
        let malformed = try await harness.client.send(request)
        #expect(malformed.status == 400)
        let invalid = try await harness.call("POST", path, key: Harness.acmeKey, json: ["from": ["phone": "555"], "text": "x"])
        #expect(invalid.status == 422)
        #expect(invalid.json?.value(at: "error.message") == "from.phone: must be an E.164 number such as +14155550100")
        let list = try await harness.call("GET", path, key: Harness.acmeOperatorKey)
        #expect(list.json?["data"]?.arrayValue?.isEmpty == true)  // nothing stored
    }

    @Test func idempotencyKey_replaysTheSameAnswer_andRefusesAnotherBody() async throws {
        let harness = try Harness()
        let path = "/v1/tenants/acme-plumbing/interactions"
        let first = try await harness.call("POST", path, key: Harness.acmeKey, json: Self.body, headers: [("Idempotency-Key", "order-77")])
        let second = try await harness.call("POST", path, key: Harness.acmeKey, json: Self.body, headers: [("Idempotency-Key", "order-77")])
        #expect(first.status == 202 && first.header("Idempotent-Replayed") == nil)
        // The retry answers the interaction as it stands now (202 while it runs, 200 once it stopped).
        #expect(second.status == 202 || second.status == 200, "\(second.bodyText)")
        #expect(second.json?["id"] == first.json?["id"] && second.header("Idempotent-Replayed") == "true")
        var other = Self.body
        other["text"] = "a different request"
        let conflict = try await harness.call("POST", path, key: Harness.acmeKey, json: other, headers: [("Idempotency-Key", "order-77")])
        #expect(conflict.status == 409)
        #expect(conflict.json?.value(at: "error.code") == "idempotency_key_reused")
        let list = try await harness.call("GET", path, key: Harness.acmeOperatorKey)
        #expect(list.json?["data"]?.arrayValue?.count == 1)
    }

    @Test func idempotentRetry_withPreferWait_answersTheInteractionAsItStandsNow() async throws {
        let harness = try Harness()
        let path = "/v1/tenants/acme-plumbing/interactions"
        let key = [("Idempotency-Key", "order-78")]
        let wait = key + [("Prefer", "wait=20")]
        let first = try await harness.call("POST", path, key: Harness.acmeKey, json: Self.body, headers: key)
        #expect(first.status == 202 && first.json?["status"] == "accepted", "\(first.bodyText)")
        // Retried while it runs (or just after): it waits as a fresh request would and answers the outcome.
        let waited = try await harness.call("POST", path, key: Harness.acmeKey, json: Self.body, headers: wait)
        #expect(waited.status == 200, "\(waited.bodyText)")
        #expect(waited.json?["id"] == first.json?["id"])
        #expect(waited.json?["status"] == "completed", "\(waited.bodyText)")
        #expect(waited.header("Idempotent-Replayed") == "true" && waited.header("Preference-Applied") == "wait=20")
        // Retried once it is final, without Prefer: the final outcome, not the old 202.
        let later = try await harness.call("POST", path, key: Harness.acmeKey, json: Self.body, headers: key)
        #expect(later.status == 200 && later.json?["status"] == "completed", "\(later.bodyText)")
        #expect(later.header("Idempotent-Replayed") == "true" && later.header("Preference-Applied") == nil)
        // An api key's view: where it stands, not the customer's data.
        #expect(later.json?["customer"] == nil && later.json?["text"] == nil)
        let list = try await harness.call("GET", path, key: Harness.acmeOperatorKey)
        #expect(list.json?["data"]?.arrayValue?.count == 1)
    }

    @Test func tenantOverItsRateLimit_gets429WithRetryAfter() async throws {
        let harness = try Harness()
        var statuses: [Int] = []
        var retryAfter: String?
        // An api key's reads take from the tenant's limit (Riverside: 5/s, burst 20). 70 reads pass
        // its burst unless they take over 10 s; the operators' own limit (20/s, burst 40) refilled
        // fast enough on a slow machine that 70 reads never met it.
        for _ in 0..<70 {
            let response = try await harness.call("GET", "/v1/tenants/riverside-physio/interactions?idempotency_key=none",
                                                  key: Harness.riversideKey)
            statuses.append(response.status)
            if response.status == 429 { retryAfter = response.header("Retry-After") }
        }
        #expect(statuses.filter { $0 == 200 }.count >= 20)  // the burst
        #expect(statuses.contains(429))
        #expect(retryAfter == "1")
        // Another tenant is not affected.
        let other = try await harness.call("GET", "/v1/tenants/acme-plumbing/interactions", key: Harness.acmeOperatorKey)
        #expect(other.status == 200)
    }

    static func stripeEvent(_ id: String, type: String = "payment_intent.payment_failed") -> [UInt8] {
        Array(#"{"id":"\#(id)","object":"event","type":"\#(type)","data":{"object":{"id":"pi_1","object":"payment_intent","amount":100,"metadata":{}}}}"#.utf8)
    }

    static func stripeSignature(_ body: [UInt8], secret: String, at time: Int64) -> String {
        let mac = Crypto.hmac(.sha256, key: Array(secret.utf8), message: Array("\(time).".utf8) + body)
        return "t=\(time),v1=\(Hex.encode(mac))"
    }

    static func postWebhook(_ harness: Harness, tenant: String, body: [UInt8], signature: String?) async throws -> HTTPClient.Response {
        var headers = [("Content-Type", "application/json")]
        if let signature { headers.append(("Stripe-Signature", signature)) }
        let request = HTTPClient.Request(method: "POST", url: harness.base + "/v1/tenants/\(tenant)/webhooks/stripe", headers: headers, body: body)
        return try await harness.client.send(request)
    }

    @Test func stripeWebhook_badSignaturesStoreNothing_andReplaysRunOnce() async throws {
        let harness = try Harness()
        let now = Clock.unixSeconds()
        let body = Self.stripeEvent("evt_contract_1", type: "payment_intent.succeeded")
        let good = Self.stripeSignature(body, secret: "whsec_sandbox_acme", at: now)
        let cases: [(String?, String)] = [
            (nil, "missing header"),
            (Self.stripeSignature(body, secret: "whsec_wrong", at: now), "wrong secret"),
            (Self.stripeSignature(body, secret: "whsec_sandbox_riverside", at: now), "another tenant's secret"),
            (Self.stripeSignature(body, secret: "whsec_sandbox_acme", at: now - 301), "expired"),
            (Self.stripeSignature(body, secret: "whsec_sandbox_acme", at: now + 400), "from the future"),
            (Self.stripeSignature(body + [0x20], secret: "whsec_sandbox_acme", at: now), "signed another body"),
        ]
        for (signature, label) in cases {
            let response = try await Self.postWebhook(harness, tenant: "acme-plumbing", body: body, signature: signature)
            #expect(response.status == 401, "\(label)")
        }
        let stored = try await harness.call("GET", "/v1/tenants/acme-plumbing/interactions", key: Harness.acmeOperatorKey)
        #expect(stored.json?["data"]?.arrayValue?.isEmpty == true)

        let first = try await Self.postWebhook(harness, tenant: "acme-plumbing", body: body, signature: good)
        let again = try await Self.postWebhook(harness, tenant: "acme-plumbing", body: body, signature: good)
        #expect(first.status == 200 && again.status == 200)
        #expect(first.json?["id"] == again.json?["id"])
        let listed = try await harness.call("GET", "/v1/tenants/acme-plumbing/interactions", key: Harness.acmeOperatorKey)
        #expect(listed.json?["data"]?.arrayValue?.count == 1)
    }

    @Test func trace_holdsNoSecrets() async throws {
        let harness = try Harness()
        let booked = try await AcmePlumbingTests.book(harness, phone: "+15125550191")
        let text = booked.serialized()
        for secret in ["sk_test_sandbox_acme", "pat-sandbox-acme", "cal_sandbox_acme", "sandbox-twilio-token-acme",
                       "/services/T0ACME/B0DISPATCH/sandbox", "whsec_sandbox_acme", Harness.acmeKey] {
            #expect(!text.contains(secret), "\(secret) appears in the trace")
        }
        #expect(booked.value(at: "steps.0.calls") != nil)
    }

    @Test func listing_filtersByStatusAndCustomer_andPaginates() async throws {
        let harness = try Harness()
        for index in 0..<3 {
            _ = try await AcmePlumbingTests.book(harness, phone: "+1512555020\(index)")
        }
        _ = try await AcmePlumbingTests.book(harness, phone: "+15125550209", postalCode: "10001")
        let path = "/v1/tenants/acme-plumbing/interactions"
        let failed = try await harness.call("GET", "\(path)?status=failed", key: Harness.acmeOperatorKey)
        #expect(failed.json?["data"]?.arrayValue?.count == 1)
        let byCustomer = try await harness.call("GET", "\(path)?customer=%2B15125550201", key: Harness.acmeOperatorKey)
        #expect(byCustomer.json?["data"]?.arrayValue?.count == 1)
        let page1 = try await harness.call("GET", "\(path)?limit=3", key: Harness.acmeOperatorKey)
        let cursor = try #require(page1.json?["next_cursor"]?.stringValue)
        let page2 = try await harness.call("GET", "\(path)?limit=3&cursor=\(cursor)", key: Harness.acmeOperatorKey)
        #expect(page1.json?["data"]?.arrayValue?.count == 3)
        #expect(page2.json?["data"]?.arrayValue?.count == 1)
        #expect(page2.json?["next_cursor"] == .null)
        let bad = try await harness.call("GET", "\(path)?status=happy", key: Harness.acmeOperatorKey)
        #expect(bad.status == 422)
    }
}
