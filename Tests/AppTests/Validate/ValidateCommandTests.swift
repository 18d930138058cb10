import Native
import Testing

@Suite(.timeLimit(.minutes(1)))
struct ValidateCommandTests {
    let root = SpawnedProcess.packageRoot

    @Test func examples_areClean_oneSummaryLinePerTenant() throws {
        let (status, output, errors) = try SpawnedProcess.run(["validate", root + "/tenants"])
        #expect(status == 0)
        #expect(errors == "")
        let lines = output.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.contains(": ok: ") })
        #expect(lines[0].hasPrefix(root + "/tenants/acme-plumbing.yaml: ok: acme-plumbing (Acme Plumbing & Drain), version "))
    }

    @Test func brokenFiles_printFileLineColumn_andExitNonZero() throws {
        let broken = root + "/Tests/RoutingTests/Fixtures/broken"
        let (status, output, _) = try SpawnedProcess.run(["validate", "--quiet", broken + "/08-bad-time-zone.yaml", broken + "/21-bad-price.yaml"],
                                                          environment: ["CRM_TOKEN": "x"])
        #expect(status == 1)
        #expect(output == """
            \(broken)/08-bad-time-zone.yaml:5:14: tenant.time_zone: unknown time zone "America/Chicagoo" (did you mean "America/Chicago"?); use an IANA name such as America/Chicago or Europe/London
            \(broken)/21-bad-price.yaml:48:12: services.leak.price: expected an amount like 89.00, got the string "eighty"

            """)
    }

    @Test func unsetVariables_areReported_fromTheProcessEnvironment() throws {
        let file = root + "/Tests/RoutingTests/Fixtures/broken/21-bad-price.yaml"
        let (_, output, _) = try SpawnedProcess.run(["validate", "--quiet", file])
        #expect(output.contains("${CRM_TOKEN} is not set in the environment"))
        let (_, withToken, _) = try SpawnedProcess.run(["validate", "--quiet", file], environment: ["CRM_TOKEN": "x"])
        #expect(!withToken.contains("CRM_TOKEN"))
    }

    @Test func missingPath_isAnError() throws {
        let (status, _, errors) = try SpawnedProcess.run(["validate", "/nonexistent/tenants"])
        #expect(status == 1)
        #expect(errors == "switchboard validate: /nonexistent/tenants: no such file or folder\n")
    }
}
