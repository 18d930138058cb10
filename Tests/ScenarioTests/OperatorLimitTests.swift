import Integration
import Model
import Native
import Testing
@testable import App

/// Operators have a request limit of their own: customers using up the tenant's limit leave the
/// dashboard working, and an operator's burst of reads leaves customers' requests alone.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct OperatorLimitTests {
    static let tenant = AcmePlumbingTests.tenant

    @Test func customersAtTheLimit_leaveTheOperatorIn_andTheOperatorsBurstLeavesCustomersIn() async throws {
        let directory = try FileSystem.makeTemporaryDirectory(prefix: "switchboard-operator-limit")
        defer { FileSystem.removeTree(directory) }
        let acme = String(decoding: try FileSystem.readFile(Harness.repositoryPath("tenants/acme-plumbing.yaml")), as: UTF8.self)
        let limited = acme.replacingFirst("    requests_per_second: 10\n    burst: 30\n",
                                          with: "    requests_per_second: 1\n    burst: 3\n    operator_requests_per_second: 1\n    operator_burst: 5\n")
        try #require(limited != acme, "tenants/acme-plumbing.yaml's limits moved")
        try FileSystem.writeFileAtomically(directory + "/acme-plumbing.yaml", Array(limited.utf8))
        let harness = try Harness { $0.tenantsDirectory = directory }
        let list = "/v1/tenants/\(Self.tenant)/interactions"

        // The website uses the tenant's 3 up (reads by an api key count with customers' work).
        var customerRefusal: HTTPClient.Response?
        for _ in 0..<10 where customerRefusal == nil {
            let answer = try await harness.call("GET", list + "?idempotency_key=nothing-here", key: Harness.acmeKey)
            if answer.status == 429 { customerRefusal = answer }
        }
        let refused = try #require(customerRefusal)
        #expect(refused.header("Retry-After") != nil && refused.bodyText.contains("1 requests per second"), "\(refused.bodyText)")
        // The dispatcher still gets in (before: the same bucket, 429).
        let dashboard = try await harness.call("GET", list, key: Harness.acmeOperatorKey)
        #expect(dashboard.status == 200, "\(dashboard.bodyText)")

        // The dispatcher's own limit, said as such.
        var operatorRefusal: HTTPClient.Response?
        for _ in 0..<12 where operatorRefusal == nil {
            let answer = try await harness.call("GET", list, key: "acme-owner-view-2026")
            if answer.status == 429 { operatorRefusal = answer }
        }
        let throttled = try #require(operatorRefusal)
        #expect(throttled.bodyText.contains("operator_requests_per_second"), "\(throttled.bodyText)")
    }
}
