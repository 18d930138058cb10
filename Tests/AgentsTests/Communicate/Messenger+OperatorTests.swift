import Integration
import Model
import Native
import Synchronization
import Testing
@testable import Agents

/// `notify.operator` and `approval.request` reach the operator on one channel after another,
/// say which delivered and which failed, and never send one message twice across re-runs.
struct MessengerOperatorTests {
    static func config(order: [OperatorChannel]? = nil) throws -> TenantConfig {
        var config = TenantConfig(identity: TenantIdentity(id: "acme", name: "Acme Plumbing", timeZone: .utc, currency: Currency(code: "USD")!))
        config.channels.sms = SMSChannel(number: "+15125550142")
        config.channels.email = EmailChannel(from: "Acme <bot@acme.example>")
        config.channels.operatorChannels = OperatorChannels(email: "Dispatch <dispatch@acme.example>", sms: "+15125550199", order: order)
        config.integrations.roles[.operator] = Integration(role: .operator, provider: .slack, baseURL: "https://hooks.example.com")
        config.integrations.roles[.email] = Integration(role: .email, provider: .smtp, baseURL: "smtp://mail.example.com")
        config.integrations.roles[.messaging] = Integration(role: .messaging, provider: .twilio, baseURL: "https://sms.example.com")
        config.templates["job"] = MessageTemplate(name: "job", audience: .operator, text: try Template(parsing: "New job for {{from.phone}}"))
        config.approvals["big"] = ApprovalPolicy(name: "big", description: "Big jobs", timeout: .seconds(3600))
        return config
    }

    static func input(_ config: TenantConfig, providers: OperatorProviders, journal: MemoryJournal,
                      parameters: [String: StepParameter] = ["template": .name("job")]) -> StepInput {
        let interaction = Interaction(id: InteractionID("int_01M80FXS36ECQZZCK8T5BYW5FB")!, tenant: "acme", channel: .api, receivedAt: 0,
                                      from: Interaction.Party(phone: "+15125550100"))
        return StepInput(config: config, interaction: interaction, context: ["from": ["phone": "+15125550100"]], parameters: parameters,
                         providers: providers.tenantProviders, effects: journal, state: "dispatch", sequence: 1, ledger: EmptyLedger(),
                         now: 0, deadline: Clock.monotonicNanos() + 5_000_000_000, recorder: ProviderCallLog())
    }

    @Test func slackDown_theNextChannelDelivers_andTheDecisionSaysWhich() async throws {
        let providers = OperatorProviders(slackFailure: OperatorProviders.slackDown)
        let result = await NotifyOperatorAgent().run(Self.input(try Self.config(), providers: providers, journal: MemoryJournal()))
        #expect(result.outcome == .ok)
        #expect(providers.channels == ["email:dispatch@acme.example"])
        #expect(result.decision.summary == "notified the operator by email")
        #expect(result.decision.reasons == ["slack failed: slack notify failed: retryable (HTTP 500): internal error",
                                            "delivered by email to dispatch@acme.example"])
        #expect(result.messages.first?.channel == "email")
        #expect(result.messages.first?.failedChannels.map(\.channel) == ["slack"])
    }

    @Test func stepChannel_overridesTheTenantsOrder() async throws {
        let providers = OperatorProviders()
        let input = Self.input(try Self.config(), providers: providers, journal: MemoryJournal(),
                               parameters: ["template": .name("job"), "channel": .choices(["sms", "email"])])
        let result = await NotifyOperatorAgent().run(input)
        #expect(result.outcome == .ok)
        #expect(providers.channels == ["sms:+15125550199"])
        #expect(result.messages.first?.to == "+15125550199")
    }

    @Test func everyChannelFailing_isTheErrorOutcome_withEachReason() async throws {
        let providers = OperatorProviders(slackFailure: OperatorProviders.slackDown, smsFailure: OperatorProviders.smsRefused)
        let result = await NotifyOperatorAgent().run(Self.input(try Self.config(order: [.slack, .sms]), providers: providers,
                                                                journal: MemoryJournal()))
        #expect(result.outcome == .error)
        #expect(result.decision.summary == "could not notify the operator on any channel")
        #expect(result.decision.reasons.count == 2)
        #expect(result.decision.reasons.first?.hasPrefix("slack failed: ") == true)
        #expect(result.decision.reasons.last?.hasPrefix("sms failed: twilio sendSMS failed: rate_limited (HTTP 429)") == true)
        #expect(result.messages.isEmpty)
    }

    @Test func rerun_afterADelivery_sendsNothingAgainOnAnyChannel() async throws {
        let config = try Self.config()
        let journal = MemoryJournal()
        let first = OperatorProviders(slackFailure: OperatorProviders.slackDown)
        _ = await NotifyOperatorAgent().run(Self.input(config, providers: first, journal: journal))
        #expect(first.channels == ["email:dispatch@acme.example"])
        // The step runs again (a crash before it was recorded), and Slack is back: nothing is sent.
        let again = OperatorProviders()
        let result = await NotifyOperatorAgent().run(Self.input(config, providers: again, journal: journal))
        #expect(again.channels == [])
        #expect(result.outcome == .ok)
        #expect(result.decision.reasons == ["slack failed: slack notify failed: retryable (HTTP 500): internal error",
                                            "delivered by email to dispatch@acme.example"])
    }

    @Test func rerun_afterACrashDuringTheSend_sendsNothingOnAnyChannel() async throws {
        let journal = MemoryJournal()
        journal.states.withLock { $0["operator-message"] = .intended }  // the earlier run stopped inside the call
        let providers = OperatorProviders()
        let result = await NotifyOperatorAgent().run(Self.input(try Self.config(), providers: providers, journal: journal))
        #expect(providers.channels == [])
        #expect(result.outcome == .ok)
        #expect(result.messages.first?.inDoubt == true)
        #expect(result.decision.summary == "operator message in doubt (not repeated)")
    }

    @Test func rerun_afterChannelsThatProvablySentNothing_triesAgain() async throws {
        let config = try Self.config(order: [.sms])
        let journal = MemoryJournal()
        let refused = OperatorProviders(smsFailure: OperatorProviders.smsRefused)
        #expect(await NotifyOperatorAgent().run(Self.input(config, providers: refused, journal: journal)).outcome == .error)
        #expect(journal.states.withLock { $0["operator-message"] } == .failed)
        let again = OperatorProviders()
        #expect(await NotifyOperatorAgent().run(Self.input(config, providers: again, journal: journal)).outcome == .ok)
        #expect(again.channels == ["sms:+15125550199"])
    }

    @Test func approvalRequest_fallsBackTheSameWay() async throws {
        let providers = OperatorProviders(slackFailure: OperatorProviders.slackDown)
        let input = Self.input(try Self.config(order: [.slack, .sms]), providers: providers, journal: MemoryJournal(),
                               parameters: ["policy": .name("big")])
        let result = await ApprovalAgent().run(input)
        #expect(result.outcome == .ok)
        #expect(result.park == .awaitingApproval(policy: "big", timeoutSeconds: 3600))
        #expect(providers.channels == ["sms:+15125550199"])
        #expect(result.decision.reasons.contains("delivered by sms to +15125550199"))
    }
}
