import Integration
import Model
import Native
@testable import Sandbox
import Testing
@testable import App

/// A secret rotated without downtime, over real HTTP against the sandbox: Acme lists a new
/// Stripe webhook secret before its old one, and a new API key before a revoked one.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct SecretRotationTests {
    static let newSecret = "whsec_rotation_new_acme"
    static let oldSecret = "whsec_sandbox_acme"
    static let newToken = "sandbox-twilio-token-acme-2026"
    static let oldToken = "sandbox-twilio-token-acme"

    static func rotatingTenants() throws -> String {
        let directory = try OperatorChannelsTests.tenantsDirectory { acme in
            acme.replacingFirst("      secret: ${ACME_STRIPE_WEBHOOK_SECRET:-whsec_sandbox_acme}\n",
                                with: "      secret:\n        - ${ACME_STRIPE_WEBHOOK_SECRET_NEW:-\(newSecret)}\n"
                                    + "        - ${ACME_STRIPE_WEBHOOK_SECRET:-\(oldSecret)}\n")
                // The sandbox's Stripe refuses a key with "revoked" in it: calls must use the first.
                .replacingFirst("      secret_key: ${ACME_STRIPE_SECRET_KEY:-sk_test_sandbox_acme}\n",
                                with: "      secret_key: [\"${ACME_STRIPE_SECRET_KEY:-sk_test_sandbox_acme}\", "
                                    + "\"${ACME_STRIPE_SECRET_KEY_OLD:-sk_test_revoked_2025}\"]\n")
                .replacingFirst("    twilio-voice:\n      secret: ${ACME_TWILIO_AUTH_TOKEN:-sandbox-twilio-token-acme}\n",
                                with: "    twilio-voice:\n      secret: [\"${ACME_TWILIO_AUTH_TOKEN_NEW:-\(newToken)}\", "
                                    + "\"${ACME_TWILIO_AUTH_TOKEN:-\(oldToken)}\"]\n")
        }
        let edited = String(decoding: try FileSystem.readFile(directory + "/acme-plumbing.yaml"), as: UTF8.self)
        try #require(edited.contains(newSecret) && edited.contains("sk_test_revoked_2025") && edited.contains(newToken),
                     "Acme's file no longer has the lines edited")
        return directory
    }

    /// A `payment_intent.succeeded` for its own PaymentIntent (one payment is one interaction).
    func postStripe(_ harness: Harness, event: String, secret: String) async throws -> HTTPClient.Response {
        let body = Array(#"{"id":"evt_\#(event)","object":"event","type":"payment_intent.succeeded","#.utf8)
            + Array(#""data":{"object":{"id":"pi_\#(event)","object":"payment_intent","amount":3725,"metadata":{}}}}"#.utf8)
        let signature = APIContractTests.stripeSignature(body, secret: secret, at: Clock.unixSeconds())
        let request = HTTPClient.Request(method: "POST", url: harness.base + "/v1/tenants/acme-plumbing/webhooks/stripe",
                                         headers: [("Content-Type", "application/json"), ("Stripe-Signature", signature)], body: body)
        return try await harness.client.send(request)
    }

    @Test func stripeWebhooks_signedWithTheOldOrTheNewSecret_areBothAccepted_anotherIsNot() async throws {
        let directory = try Self.rotatingTenants()
        defer { FileSystem.removeTree(directory) }
        let harness = try Harness { $0.tenantsDirectory = directory }

        let old = try await postStripe(harness, event: "rotation_old", secret: Self.oldSecret)
        #expect(old.status == 200, "\(old.bodyText)")
        let new = try await postStripe(harness, event: "rotation_new", secret: Self.newSecret)
        #expect(new.status == 200, "\(new.bodyText)")
        #expect(old.json?["id"] != nil && old.json?["id"] != new.json?["id"])
        let unrelated = try await postStripe(harness, event: "rotation_other", secret: "whsec_rotation_unrelated")
        #expect(unrelated.status == 401, "\(unrelated.bodyText)")
        #expect(unrelated.json?.value(at: "error.code") == "invalid_signature")

        // Which secret signed, by position, for the operator finishing the rotation; never the secret.
        let metrics = try await harness.call("GET", "/metrics").bodyText
        let family = "switchboard_webhook_signatures_total{tenant=\"acme-plumbing\",source=\"stripe\""
        #expect(metrics.contains(family + ",secret=\"1\",listed=\"2\"} 1"), "\(metrics.split(separator: "\n").filter { $0.contains("webhook_signatures") })")
        #expect(metrics.contains(family + ",secret=\"2\",listed=\"2\"} 1"))
        #expect(!metrics.contains(Self.newSecret) && !metrics.contains(Self.oldSecret))
    }

    @Test func voiceCalls_signedWithTheOldOrTheNewToken_areAnswered_anotherIsNot() async throws {
        let directory = try Self.rotatingTenants()
        defer { FileSystem.removeTree(directory) }
        let harness = try Harness { $0.tenantsDirectory = directory }
        let url = harness.base + "/v1/tenants/acme-plumbing/webhooks/twilio-voice"
        func call(_ sid: String, token: String) async throws -> HTTPClient.Response {
            let form = [("AccountSid", "AC0000000000000000000000000000ac01"), ("CallSid", sid), ("CallStatus", "ringing"),
                        ("From", "+15125550172"), ("To", "+15125550142")]
            let signature = WebhookSignatures.twilio(authToken: token, url: url, parameters: form)
            return try await harness.client.send(HTTPClient.Request(
                method: "POST", url: url, headers: [("Content-Type", "application/x-www-form-urlencoded"), ("X-Twilio-Signature", signature)],
                body: FormFields.encode(form), timeoutSeconds: 20))
        }
        for (sid, token) in [("CA00000000000000000000000000rot01", Self.oldToken), ("CA00000000000000000000000000rot02", Self.newToken)] {
            let answer = try await call(sid, token: token)
            #expect(answer.status == 200 && answer.bodyText.contains("Thanks for calling Acme Plumbing"), "\(answer.bodyText)")
        }
        let unrelated = try await call("CA00000000000000000000000000rot03", token: "sandbox-twilio-token-someone-else")
        #expect(unrelated.status == 401 && unrelated.json?.value(at: "error.code") == "invalid_signature", "\(unrelated.bodyText)")
        let metrics = try await harness.call("GET", "/metrics").bodyText
        let family = "switchboard_webhook_signatures_total{tenant=\"acme-plumbing\",source=\"twilio-voice\""
        #expect(metrics.contains(family + ",secret=\"1\",listed=\"2\"} 1") && metrics.contains(family + ",secret=\"2\",listed=\"2\"} 1"),
                "\(metrics.split(separator: "\n").filter { $0.contains("webhook_signatures") })")
    }

    @Test func booking_callsStripeWithTheFirstKey_andThePaymentWebhookSignedWithTheNewSecretIsServed() async throws {
        let directory = try Self.rotatingTenants()
        defer { FileSystem.removeTree(directory) }
        let harness = try Harness { $0.tenantsDirectory = directory }
        let phone = "+15125550171"
        let trace = try await AcmePlumbingTests.book(harness, phone: phone)
        #expect(trace["status"] == "completed", "\(trace["reason"] ?? .null) \(AcmePlumbingTests.states(trace))")
        let sessionID = try #require(trace.value(at: "context.payment.session_id")?.stringValue, "\(trace)")

        // The sandbox's Stripe signs with the tenant's current secret, the first listed.
        let paid = try await harness.sandboxCall("POST", "/sandbox/checkout/\(sessionID)/pay")
        #expect(paid.isSuccess || paid.status == 303, "\(paid.bodyText)")
        let payment = try await AcmePlumbingTests.newest(harness, channel: "stripe")
        #expect(payment["status"] == "completed", "\(payment["reason"] ?? .null)")
        #expect(JSON.texts(harness.outbox(to: phone)).contains { $0.contains("We received your payment of $37.25") })
    }
}
