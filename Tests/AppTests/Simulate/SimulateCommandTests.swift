import Testing

/// `switchboard simulate` on the example tenants, through the built binary: the path and the price
/// it prints, at a fixed time so every run decides the same. One child process at a time: each
/// starts its own sandbox, and the timing-sensitive suites elsewhere share the machine's cores.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct SimulateCommandTests {
    static let acme = SpawnedProcess.packageRoot + "/tenants/acme-plumbing.yaml"
    static let riverside = SpawnedProcess.packageRoot + "/tenants/riverside-physio.yaml"
    /// A Tuesday morning in Austin, years ahead so the sandbox calendar is open.
    static let tuesday = "2030-06-04T09:00"
    /// A Saturday morning in London.
    static let saturday = "2030-06-08T09:00"

    static func simulate(_ arguments: [String]) throws -> (Int32, String, String) {
        try SpawnedProcess.run(["simulate"] + arguments, environment: ["PATH": "/usr/bin:/bin"])
    }

    static func line(_ prefix: String, in output: String) -> String? {
        output.split(separator: "\n").map { $0.drop(while: { $0 == " " }) }.first { $0.hasPrefix(prefix) }.map(String.init)
    }

    @Test func acme_drainCleaning_isBookedAtTheBasePrice() throws {
        let (status, output, errors) = try Self.simulate([Self.acme, "--text", "My kitchen sink is clogged", "--from", "+15125550100",
                                                          "--name", "Dana", "--field", "postal_code=78704", "--at", Self.tuesday])
        #expect(status == 0, "\(errors)")
        #expect(Self.line("Outcome:", in: output) == "Outcome: completed (booking › done)")
        #expect(Self.line("Path:", in: output) == "Path: identify → find_customer → check_area → quote → find_slot → book → deposit → confirm → dispatch → note → done")
        #expect(Self.line("Base price", in: output)?.hasSuffix("$149.00") == true, "\(output)")
        #expect(Self.line("Total", in: output)?.hasSuffix("$149.00") == true, "\(output)")
        #expect(Self.line("Deposit", in: output)?.hasSuffix("$37.25") == true, "\(output)")
        #expect(output.contains("As of Tue 2030-06-04 09:00 CDT (America/Chicago)"))
        #expect(output.contains("Messages that would be sent:"))
        #expect(output.contains("You're booked! Drain cleaning on Tue, Jun 4"))
        #expect(output.contains("- matched phrase \"sink is clogged\""), "each decision prints its reasons")
    }

    @Test func acme_urgentWords_addTheSameDaySurcharge() throws {
        let (status, output, _) = try Self.simulate([Self.acme, "--text", "Urgent: my kitchen sink is clogged", "--from", "+15125550100",
                                                     "--field", "postal_code=78704", "--at", Self.tuesday])
        #expect(status == 0)
        #expect(Self.line("Same-day priority dispatch (urgent)", in: output)?.hasSuffix("+$95.00") == true, "\(output)")
        #expect(Self.line("Total", in: output)?.hasSuffix("$244.00") == true, "\(output)")
        #expect(Self.line("Deposit", in: output)?.hasSuffix("$61.00") == true, "\(output)")
    }

    @Test func acme_largeQuote_stopsForApproval_andGoesOnWithApprove() throws {
        let arguments = [Self.acme, "--text", "No hot water, the water heater died", "--from", "+15125550107",
                         "--field", "postal_code=78701", "--at", Self.tuesday]
        let (_, parked, _) = try Self.simulate(arguments)
        #expect(Self.line("Outcome:", in: parked)?.hasPrefix("Outcome: awaiting_approval (booking › owner_approval)") == true, "\(parked)")
        #expect(Self.line("Path:", in: parked) == "Path: identify → find_customer → check_area → quote → owner_approval")
        #expect(Self.line("Total", in: parked)?.hasSuffix("$1,450.00") == true)
        #expect(parked.contains("add --approve or --reject to go on"))

        let (status, approved, _) = try Self.simulate(arguments + ["--approve"])
        #expect(status == 0)
        #expect(Self.line("Path:", in: approved) == "Path: identify → find_customer → check_area → quote → owner_approval → find_slot → book → deposit → confirm → dispatch → note → done")
        #expect(approved.contains("Note: the simulation approved the request at owner_approval"))

        let (_, rejected, _) = try Self.simulate(arguments + ["--reject"])
        #expect(Self.line("Path:", in: rejected) == "Path: identify → find_customer → check_area → quote → owner_approval → quote_declined → quote_declined_ops → not_approved")
        #expect(Self.line("Outcome:", in: rejected)?.hasPrefix("Outcome: failed") == true)
    }

    @Test func acme_outsideTheArea_isDeclined() throws {
        let (_, output, _) = try Self.simulate([Self.acme, "--text", "Burst pipe, water everywhere", "--from", "+15125550109",
                                                "--field", "postal_code=99999", "--at", Self.tuesday])
        #expect(Self.line("Path:", in: output) == "Path: identify → find_customer → check_area → refuse → refuse_ops → refuse_note → declined")
        #expect(output.contains("99999 is outside our service area"))
    }

    @Test func riverside_saturdayAssessment_carriesTheSaturdaySurcharge() throws {
        let (status, output, errors) = try Self.simulate([Self.riverside, "--text", "I sprained my ankle, first appointment please",
                                                          "--name", "Ann Lee", "--from", "+447700900555", "--email", "ann@example.com",
                                                          "--at", Self.saturday])
        #expect(status == 0, "\(errors)")
        #expect(Self.line("Outcome:", in: output) == "Outcome: completed (appointment › done)")
        #expect(Self.line("Path:", in: output) == "Path: identify → find_patient → check → price → find_slot → book → deposit → confirm_sms → confirm_email → tell_front_desk → note → done")
        #expect(Self.line("Saturday clinic (saturday)", in: output)?.hasSuffix("+£8.50") == true, "\(output)")
        #expect(Self.line("Total", in: output)?.hasSuffix("£93.50") == true, "\(output)")
        #expect(Self.line("Deposit", in: output)?.hasSuffix("£25.00") == true)
        #expect(output.contains("to the customer by email (ann@example.com):"))
    }

    @Test func riverside_weekdayMassage_isPricedWithoutSurcharge() throws {
        let (_, output, _) = try Self.simulate([Self.riverside, "--text", "My shoulders are tight, I need a sports massage",
                                                "--from", "+447700900556", "--at", "2030-06-05T09:00"])
        #expect(Self.line("Path:", in: output)?.hasPrefix("Path: identify → find_patient → check → price → find_slot → book") == true, "\(output)")
        #expect(Self.line("Total", in: output)?.hasSuffix("£65.00") == true, "\(output)")
    }

    @Test func json_printsTheTrace() throws {
        let (status, output, _) = try Self.simulate([Self.acme, "--text", "My kitchen sink is clogged", "--field", "postal_code=78704",
                                                     "--at", Self.tuesday, "--json"])
        #expect(status == 0)
        #expect(output.hasPrefix("{\"id\":\"int_"))
        #expect(output.contains("\"answers\":[{"), "the trace keeps the providers' answers")
    }

    @Test func brokenFile_exitsOne_withFileLineColumn() throws {
        let (status, _, errors) = try Self.simulate([SpawnedProcess.packageRoot + "/Package.swift", "--text", "hello"])
        #expect(status == 1)
        #expect(errors.contains("Package.swift:"), "\(errors)")
    }

    @Test func usageErrors_exitTwo() throws {
        #expect(try Self.simulate([Self.acme]).0 == 2)
        #expect(try Self.simulate(["--text", "hi"]).0 == 2)
        #expect(try Self.simulate([Self.acme, "--text", "hi", "--at", "next tuesday"]).0 == 2)
        #expect(try Self.simulate([Self.acme, "--text", "hi", "--approve", "--reject"]).0 == 2)
        #expect(try Self.simulate([Self.acme, "--text", "hi", "--field", "novalue"]).0 == 2)
    }
}
