import Glibc
import Integration
import Model
import Native
import Testing
@testable import App

/// What the operator dashboard reads: its own files, the config status, the tenant's figures and
/// the unfinished-work metrics.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct OperatorRoutesTests {
    static let tenant = "acme-plumbing"

    /// One raw HTTP/1.1 request, so paths reach the server exactly as written (clients normalise `..`).
    static func raw(_ harness: Harness, _ target: String) async throws -> (status: Int, body: String) {
        let text = try await harness.rawExchange(Array("GET \(target) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".utf8))
        return (Int(text.split(separator: " ").dropFirst().first ?? "") ?? -1, text)
    }

    @Test func dashboard_isServedWithTypesAndCaching() async throws {
        let harness = try Harness()
        let page = try await harness.call("GET", "/")
        #expect(page.status == 200)
        #expect(page.header("Content-Type") == "text/html; charset=utf-8")
        #expect(page.header("Content-Security-Policy")?.contains("script-src 'self'") == true)
        #expect(page.bodyText.contains("<script type=\"module\" src=\"/assets/app.js\"></script>"))
        let script = try await harness.call("GET", "/assets/app.js")
        #expect(script.status == 200)
        #expect(script.header("Content-Type") == "text/javascript; charset=utf-8")
        let etag = try #require(script.header("ETag"))
        let again = try await harness.call("GET", "/assets/app.js", headers: [("If-None-Match", etag)])
        #expect(again.status == 304)
        #expect(try await harness.call("GET", "/assets/views/timeline.js").status == 200)
        #expect(try await harness.call("GET", "/assets/app.css").header("Content-Type") == "text/css; charset=utf-8")
        #expect(try await harness.call("GET", "/assets/nothing.js").status == 404)
    }

    @Test func dashboard_refusesEveryTraversal() async throws {
        let harness = try Harness()
        for target in ["/assets/../Package.swift", "/assets/%2e%2e/Package.swift", "/assets/%2E%2E%2FPackage.swift",
                       "/assets/views/../../index.html", "/assets/..%2f..%2fetc/passwd", "/assets//etc/passwd",
                       "/assets/%2fetc%2fpasswd", "/assets/views%5c..%5c..%5cPackage.swift", "/assets/%00"] {
            let (status, body) = try await Self.raw(harness, target)
            #expect(status == 400 || status == 404, "\(target) → \(status)")
            #expect(!body.contains("PackageDescription") && !body.contains("root:"), "\(target) leaked a file")
        }
    }

    @Test func configStatus_needsTheOperatorKey_andReportsTheLastReloadError() async throws {
        let folder = try FileSystem.makeTemporaryDirectory(prefix: "tenants")
        defer { FileSystem.removeTree(folder) }
        let original = try FileSystem.readFile(Harness.repositoryPath("tenants/acme-plumbing.yaml"))
        try FileSystem.writeFileAtomically(folder + "/acme-plumbing.yaml", original)
        let harness = try Harness { $0.tenantsDirectory = folder; $0.watchTenants = false }
        let path = "/v1/tenants/\(Self.tenant)/config/status"
        #expect(try await harness.call("GET", path, key: Harness.acmeKey).status == 403, "the API key is not an operator or viewer key")
        #expect(try await harness.call("GET", "/v1/tenants/nobody/config/status", key: Harness.acmeOperatorKey).status == 401)
        let clean = try await harness.call("GET", path, key: Harness.acmeOperatorKey)
        #expect(clean.status == 200)
        let version = try #require(clean.json?["version"]?.stringValue)
        #expect(clean.json?["last_error"] == .null)
        #expect(clean.json?["name"] == "Acme Plumbing & Drain")

        // An invalid edit keeps the last good version serving and says where it is wrong.
        var broken = String(decoding: original, as: UTF8.self)
        broken = broken.replacing("    price: 149.00", with: "    price: eighty")
        try FileSystem.writeFileAtomically(folder + "/acme-plumbing.yaml", Array(broken.utf8))
        harness.app.reloadTenants()
        let status = try await harness.call("GET", path, key: Harness.acmeOperatorKey)
        #expect(status.json?["version"]?.stringValue == version)
        let problem = try #require(status.json?.value(at: "last_error.problems")?[0])
        #expect(problem["file"]?.stringValue?.hasSuffix("acme-plumbing.yaml") == true)
        #expect(problem["line"]?.intValue ?? 0 > 1 && problem["column"]?.intValue ?? 0 > 1, "\(problem)")
        #expect(problem["path"]?.stringValue?.contains("price") == true, "\(problem)")
    }

    @Test func stats_countOutcomes_resolutionAndProviders() async throws {
        let harness = try Harness()
        let booked = try await AcmePlumbingTests.book(harness, phone: "+15125550150")
        #expect(booked["status"] == "completed")
        let refused = try await AcmePlumbingTests.book(harness, phone: "+15125550151", postalCode: "99999")
        #expect(refused["status"] == "failed")
        _ = try await harness.call("POST", "/v1/tenants/\(Self.tenant)/interactions", key: Harness.acmeKey,
                                   json: ["from": ["phone": "+15125550152"], "text": "We have no hot water, the water heater died",
                                          "fields": ["postal_code": "78701"]], headers: [("Prefer", "wait=20")])

        let response = try await harness.call("GET", "/v1/tenants/\(Self.tenant)/stats?window=1h", key: Harness.acmeOperatorKey)
        #expect(response.status == 200, "\(response.bodyText)")
        let stats = try #require(response.json)
        #expect(stats["total"] == 3)
        #expect(stats.value(at: "by_status.completed") == 1 && stats.value(at: "by_status.failed") == 1)
        #expect(stats.value(at: "by_status.awaiting_approval") == 1)
        #expect(stats.value(at: "resolution_ms.count") == 2)
        #expect(stats.value(at: "resolution_ms.p50")?.intValue != nil && stats.value(at: "resolution_ms.p99")?.intValue != nil)
        let providers = stats["providers"]?.arrayValue ?? []
        let hubspot = try #require(providers.first { $0["provider"] == "hubspot" })
        #expect(hubspot["calls"]?.intValue ?? 0 >= 4 && hubspot["errors"] == 0 && hubspot["error_rate"]?.doubleValue == 0)
        let waiting = stats["unfinished"]?.arrayValue?.first
        #expect(waiting?["status"] == "awaiting_approval" && waiting?["count"] == 1)

        #expect(try await harness.call("GET", "/v1/tenants/\(Self.tenant)/stats?window=forever", key: Harness.acmeOperatorKey).status == 422)
        #expect(try await harness.call("GET", "/v1/tenants/\(Self.tenant)/stats", key: Harness.acmeKey).status == 403)
        let other = try await harness.call("GET", "/v1/tenants/riverside-physio/stats", key: Harness.riversideOperatorKey)
        #expect(other.json?["total"] == 0, "another tenant's figures are its own")

        // /metrics: unfinished work per tenant and status, and the provider series Grafana charts.
        await harness.app.unfinishedMetrics.refresh()
        let metrics = try await harness.call("GET", "/metrics").bodyText
        #expect(metrics.contains("switchboard_unfinished_interactions{tenant=\"acme-plumbing\",status=\"awaiting_approval\"} 1"))
        #expect(metrics.contains("switchboard_oldest_unfinished_age_seconds{tenant=\"acme-plumbing\",status=\"awaiting_approval\"}"))
        for family in ["switchboard_interactions_total", "switchboard_resolution_seconds_bucket", "switchboard_step_duration_seconds_bucket",
                       "switchboard_provider_call_duration_seconds_bucket", "switchboard_provider_calls_total", "switchboard_provider_errors_total",
                       "switchboard_provider_retries_total", "switchboard_provider_breaker_state", "switchboard_journal_queue_depth"] {
            #expect(metrics.contains(family), "\(family) is missing from /metrics")
        }
    }

    @Test func trace_recordsEachProvidersAnswer_withoutSecrets() async throws {
        let harness = try Harness()
        let trace = try await AcmePlumbingTests.book(harness, phone: "+15125550160")
        let answers = trace["steps"]?.arrayValue?.flatMap { $0["answers"]?.arrayValue ?? [] } ?? []
        let operations = answers.compactMap { answer -> String? in
            guard let role = answer["role"]?.stringValue, let operation = answer["operation"]?.stringValue else { return nil }
            return "\(role).\(operation)"
        }
        // One answer per call, in the order made (the slot search may ask for one day, then more).
        #expect(Int64(operations.count) == trace.value(at: "cost.provider_calls")?.intValue)
        #expect(operations.first == "crm.searchContact" && operations.last == "crm.addNote", "\(operations)")
        for operation in ["crm.createContact", "scheduling.availableSlots", "scheduling.createBooking", "payments.createCheckoutSession",
                          "messaging.sendSMS", "operator.notify"] {
            #expect(operations.contains(operation), "\(operation) in \(operations)")
        }
        let session = answers.first { $0["operation"] == "createCheckoutSession" }
        #expect(session?.value(at: "result.url")?.stringValue?.contains("/checkout/") == true)
        let text = trace.serialized()
        for secret in ["sk_test_sandbox_acme", "pat-sandbox-acme", "cal_sandbox_acme", "sandbox-twilio-token-acme", "client_secret"] {
            #expect(!text.contains(secret), "\(secret) in the trace")
        }
    }
}
