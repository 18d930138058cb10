import Model
import Native
import Testing
@testable import Routing

struct TenantConfigLoaderTests {
    private func example(_ name: String) throws -> TenantSnapshot {
        try TenantConfigLoader(environment: [:]).load(path: TestFiles.tenants + "/" + name)
    }

    @Test func examples_loadClean_withoutAnyEnvironment() {
        let set = TenantSet.load(files: (try? TenantDirectory.files(in: TestFiles.tenants)) ?? [], loader: TenantConfigLoader(environment: [:]))
        #expect(set.errors.map(\.description) == [])
        #expect(set.snapshots.map(\.id) == ["acme-plumbing", "riverside-physio", "tidy-nest-cleaning"])
    }

    @Test func plumber_decodesTheBusiness() throws {
        let config = try example("acme-plumbing.yaml").config
        #expect(config.identity.timeZone.identifier == "America/Chicago")
        #expect(config.identity.hours.ranges(on: .saturday) == [TimeRange.parse("08:00-14:00")!])
        #expect(config.identity.hours.ranges(on: .sunday) == [])
        #expect(config.identity.hours.closedDates.contains(LocalDate(year: 2026, month: 12, day: 25)))
        let heater = try #require(config.service(id: "water_heater"))
        #expect(heater.price == Money(minorUnits: 145_000, currency: .usd))
        #expect(heater.deposit == .amount(Money(minorUnits: 30_000, currency: .usd)))
        #expect(heater.eligibility.weekdays == [.monday, .tuesday, .wednesday, .thursday, .friday])
        let drain = try #require(config.service(id: "drain_cleaning"))
        #expect(drain.deposit == .percent(Percent(basisPoints: 2500)))
        #expect(drain.eligibility.serves(postalCode: "78704"))
        #expect(!drain.eligibility.serves(postalCode: "75001"))
        // The shared policy arrived through a YAML alias.
        #expect(drain.cancellation?.refunds.map(\.refund) == [.hundred, Percent(basisPoints: 5000)])
        #expect(config.integrations[.payments]?.baseURL == "http://127.0.0.1:8089/stripe")
        #expect(config.integrations[.scheduling]?.eventTypes["leak_repair"] == 1102)
        #expect(config.approvals["large_quote"]?.above == Money(minorUnits: 75_000, currency: .usd))
    }

    @Test func clinic_decodesTheBusiness() throws {
        let config = try example("riverside-physio.yaml").config
        #expect(config.identity.currency.code == "GBP")
        #expect(config.pricing.rounding == .halfEven)
        let massage = try #require(config.service(id: "sports_massage"))
        #expect(massage.cancellation?.noShowFee == Money(minorUnits: 3000, currency: .gbp))
        #expect(massage.cancellation?.approvalPolicy == "refund_review")
        #expect(config.integrations[.email]?.baseURL == "smtp://127.0.0.1:2525")
        #expect(config.integrations[.email]?.startTLS == false)
        #expect(config.templates["appointment_email"]?.subject != nil)
    }

    @Test func transitions_areExpandedForEveryOutcome() throws {
        let flow = try #require(try example("acme-plumbing.yaml").config.flows["booking"])
        let find = try #require(flow.states["find_customer"]?.step)
        #expect(find.transitions == [.ok: "check_area", .error: "system_problem"])
        let ask = try #require(flow.states["ask_what"]?.step)
        #expect(ask.transitions == [.ok: "flag_unknown", .error: "flag_unknown"])
        #expect(flow.next(after: "find_slot", outcome: .conflict) == "offer_alternatives")
        #expect(flow.states["book"]?.step?.compensation == [CompensationAction(agent: "scheduling.cancel")])
        #expect(flow.states["quote"]?.step?.parameters["approval_above"]?.money == Money(minorUnits: 75_000, currency: .usd))
        #expect(flow.states["done"]?.final == FinalState(result: .completed))
    }

    @Test func flows_areChosenByEventChannelAndService() throws {
        let config = try example("riverside-physio.yaml").config
        #expect(config.flow(forEvent: "calcom.booking_cancelled")?.name == "appointment_cancelled")
        #expect(config.flow(forEvent: "stripe.checkout.session.completed")?.name == "deposit_paid")
        #expect(config.flow(for: .sms, serviceID: "follow_up")?.name == "appointment")
        #expect(config.flow(for: .voice, serviceID: nil)?.name == "appointment")
        #expect(config.flow(forEvent: "stripe.charge.refunded") == nil)
    }

    @Test func exampleTemplate_rendersInTheTenantZone() throws {
        let config = try example("acme-plumbing.yaml").config
        let context: JSON = [
            "tenant": ["name": "Acme Plumbing & Drain"],
            "service": ["name": "Drain cleaning"],
            "slot": ["start": "2026-11-24T15:00:00Z"],
            "price": ["total": 17_400],
            "payment": ["amount": 4350, "checkout_url": "https://pay.example/cs_1"],
        ]
        let rendered = try #require(config.render(template: "booking_confirmed", context: context))
        #expect(rendered.text == """
            You're booked! Drain cleaning on Tue, Nov 24 at 9:00 AM.
            Quote: $174.00. Please pay the $43.50 deposit to secure your slot: https://pay.example/cs_1
            Reply HELP for help. — Acme Plumbing & Drain

            """)
    }

    @Test func examplePricing_appliesTheDocumentedOrder() throws {
        let config = try example("acme-plumbing.yaml").config
        // Sunday 22 November 2026, 7 PM in Austin.
        let context: JSONObject = ["service": ["id": "drain_cleaning"], "customer": ["tags": ["member"]],
                                   "interaction": ["text": "Kitchen drain blocked, need someone ASAP"],
                                   "slot": ["start": "2026-11-23T01:00:00Z"]]
        let scope = ContextScope(context: context, timeZone: config.identity.timeZone, hours: config.identity.hours, now: 0)
        let quote = config.pricing.quote(base: try #require(config.service(id: "drain_cleaning")).price, in: scope)
        // 149 + 74.50 (50% after hours) + 95 (urgent) = 318.50; member 10% → -31.85 → 286.65
        #expect(quote.adjustments.map(\.ruleID) == ["after_hours", "urgent", "member"])
        #expect(quote.total.minorUnits == 28_665)
    }

    @Test func environment_isTheInjectedDictionary_withDefaults() throws {
        let text = TestFiles.validFixture.replacingFirst("base_url: https://crm.example.com", with: "base_url: ${CRM_URL:-https://fallback.example}/v3")
        let withDefault = try TestFiles.load(text).get()
        #expect(withDefault.config.integrations[.crm]?.baseURL == "https://fallback.example/v3")
        let injected = try TestFiles.load(text, environment: ["CRM_TOKEN": "t", "CRM_URL": "http://127.0.0.1:9"]).get()
        #expect(injected.config.integrations[.crm]?.baseURL == "http://127.0.0.1:9/v3")
        let secret = try #require(injected.config.integrations[.crm]?.credentials["access_token"]?.current)
        #expect(secret.reveal() == "t")
        #expect(secret.description == "<secret from $CRM_TOKEN>")
        #expect("\(injected.config.integrations[.crm]!)".contains("t\"") == false)
        #expect(TestFiles.problems(text, environment: [:]) == [
            "26:21: integrations.crm.credentials.access_token: ${CRM_TOKEN} is not set in the environment: set it, or give a default as ${CRM_TOKEN:-value}",
        ])
    }

    @Test func templateErrors_inBlockScalars_pointInsideTheBlock() {
        let text = TestFiles.validFixture.replacingFirst(
            "    text: \"New request from {{from.phone}}: {{interaction.text}}\"\n",
            with: "    text: |\n      New request\n      from {{from.phone | upcase}}\n")
        #expect(TestFiles.problems(text) == [
            "62:27: templates.ops.text: unknown formatter `upcase`; formatters are money, date, time, datetime, slots, json, default, upper, lower",
        ])
    }

    @Test func duplicateTenantIDs_acrossFiles_rejectTheLaterFile() throws {
        let directory = try FileSystem.makeTemporaryDirectory(prefix: "loader-test")
        defer { FileSystem.removeTree(directory) }
        try FileSystem.writeFileAtomically(directory + "/a.yaml", Array(TestFiles.validFixture.utf8))
        try FileSystem.writeFileAtomically(directory + "/b.yaml", Array(TestFiles.validFixture.utf8))
        let set = TenantSet.load(files: try TenantDirectory.files(in: directory), loader: TenantConfigLoader(environment: TestFiles.environment))
        #expect(set.snapshots.map(\.source) == [directory + "/a.yaml"])
        #expect(set.errors.map(\.description) == [
            "\(directory)/b.yaml:2:7: tenant.id: tenant id \"fixture\" is already used by \(directory)/a.yaml; each tenant has one file",
        ])
    }

    @Test func unreadableAndOversizedFiles_areReported() throws {
        do {
            _ = try TenantConfigLoader(environment: [:]).load(path: "/nonexistent/t.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "/nonexistent/t.yaml:1:1: cannot read the file: open failed for /nonexistent/t.yaml: No such file or directory (errno 2)")
        }
        var loader = TenantConfigLoader(environment: [:])
        loader.maxFileBytes = 100
        #expect(throws: ConfigError.self) { try loader.load(path: TestFiles.tenants + "/acme-plumbing.yaml") }
    }

    @Test func sameBytes_sameVersion() throws {
        let a = try TestFiles.load(TestFiles.validFixture).get()
        let b = try TestFiles.load(TestFiles.validFixture, file: "other.yaml").get()
        let c = try TestFiles.load(TestFiles.validFixture + "# a comment\n").get()
        #expect(a.version == b.version)
        #expect(a.version != c.version)
        #expect(a.version.count == 16)
    }

    @Test func tenantDirectory_skipsEditorAndHiddenFiles() {
        #expect(TenantDirectory.isTenantFile("acme.yaml"))
        #expect(TenantDirectory.isTenantFile("acme.yml"))
        for name in [".acme.yaml.swp", ".#acme.yaml", "#acme.yaml#", "acme.yaml~", "acme.yaml.tmp-123", "README.md", "4913"] {
            #expect(!TenantDirectory.isTenantFile(name), "\(name)")
        }
    }
}
