import Agents
import Glibc
import Integration
import Model
import Native
import Storage
import Synchronization
import Testing
@testable import Routing

/// The engine's effect journal over a real SQLite file: an operator message sent on a fallback
/// channel is never sent again, on any channel, when its step runs again after a crash.
struct ExecutionJournalTests {
    /// Operator channels that count what they send; Slack fails while `slackDown`.
    final class Channels: OperatorNotifier, EmailSender, Sendable {
        let sent = Mutex<[String]>([])
        let slackDown: Bool
        let emailCrashes: Bool

        init(slackDown: Bool = false, emailCrashes: Bool = false) {
            self.slackDown = slackDown
            self.emailCrashes = emailCrashes
        }

        func notify(_ text: String, context: CallContext) async throws {
            if slackDown { throw ProviderError(kind: .retryable, provider: "slack", operation: "notify", status: 500, message: "down") }
            sent.withLock { $0.append("slack") }
        }

        func send(_ email: EmailMessage, context: CallContext) async throws -> SentEmail {
            // The process dies while the relay has the message: the journal never hears back.
            if emailCrashes { throw CancellationError() }
            sent.withLock { $0.append("email") }
            return SentEmail(messageID: "<m1@test>", replyCode: 250)
        }
    }

    let path = "/tmp/switchboard-journal-test-\(getpid())-\(Clock.monotonicNanos()).sqlite"

    func withStore(_ body: (SQLiteStore, Interaction) async throws -> Void) async throws {
        defer { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }
        let store = try SQLiteStore(path: path)
        let interaction = Interaction(id: InteractionID(unixMillis: Clock.unixMillis(), random: Crypto.randomBytes(10)), tenant: "acme",
                                      channel: .api, receivedAt: Clock.unixMillis(), from: .init(phone: "+15125550100"), text: "sink clogged")
        _ = try await store.accept(interaction, requestHash: nil)
        try await body(store, interaction)
    }

    static func config() throws -> TenantConfig {
        var config = TenantConfig(identity: TenantIdentity(id: "acme", name: "Acme Plumbing", timeZone: .utc, currency: Currency(code: "USD")!))
        config.channels.email = EmailChannel(from: "bot@acme.example")
        config.channels.operatorChannels = OperatorChannels(email: "dispatch@acme.example")
        config.integrations.roles[.operator] = Integration(role: .operator, provider: .slack, baseURL: "https://hooks.example.com")
        config.integrations.roles[.email] = Integration(role: .email, provider: .smtp, baseURL: "smtp://mail.example.com")
        config.templates["job"] = MessageTemplate(name: "job", audience: .operator, text: try Template(parsing: "New job"))
        return config
    }

    /// Runs the `dispatch` step of `interaction` on `journal`, as the engine does.
    static func dispatch(_ interaction: Interaction, channels: Channels, journal: ExecutionJournal) async throws -> StepResult {
        let input = StepInput(config: try config(), interaction: interaction, context: [:], parameters: ["template": .name("job")],
                              providers: TenantProviders(operatorNotifier: channels, email: channels), effects: journal, state: "dispatch",
                              sequence: 1, ledger: EmptyLedger(), now: 0, deadline: Clock.monotonicNanos() + 5_000_000_000,
                              recorder: ProviderCallLog())
        journal.beginStep(keyBase: input.effectKeyBase)
        let result = await NotifyOperatorAgent().run(input)
        try await journal.flush(update: nil)  // the step record's transaction, which carries the effect's result
        return result
    }

    @Test func operatorMessage_deliveredByTheFallback_isReplayed_notSentAgain() async throws {
        try await withStore { store, interaction in
            let first = Channels(slackDown: true)
            let journal = ExecutionJournal(store: store, tenant: "acme", id: interaction.id, isFresh: true)
            let sent = try await Self.dispatch(interaction, channels: first, journal: journal)
            #expect(sent.decision.summary == "notified the operator by email")
            #expect(first.sent.withLock { $0 } == ["email"])

            // A crash before the step's transition was recorded: the step runs again, Slack is back.
            let again = Channels()
            let rerun = ExecutionJournal(store: store, tenant: "acme", id: interaction.id, isFresh: false)
            let replayed = try await Self.dispatch(interaction, channels: again, journal: rerun)
            #expect(again.sent.withLock { $0 } == [])
            #expect(replayed.decision.summary == "notified the operator by email")
            #expect(replayed.decision.reasons.first?.hasPrefix("slack failed: ") == true)
            #expect(rerun.stepEffects().map { $0["result"] } == ["replayed"])
        }
    }

    @Test func operatorMessage_interruptedByACrash_isSentOnNoChannel() async throws {
        try await withStore { store, interaction in
            let crashing = Channels(slackDown: true, emailCrashes: true)
            let journal = ExecutionJournal(store: store, tenant: "acme", id: interaction.id, isFresh: true)
            _ = try await Self.dispatch(interaction, channels: crashing, journal: journal)
            let key = "\(interaction.id.rawValue):dispatch#0/operator-message"
            #expect(try await store.effect(tenant: "acme", key: key)?.state == .intended)

            let again = Channels()
            let rerun = ExecutionJournal(store: store, tenant: "acme", id: interaction.id, isFresh: false)
            let result = try await Self.dispatch(interaction, channels: again, journal: rerun)
            #expect(again.sent.withLock { $0 } == [], "neither Slack (now up) nor email may send it again")
            #expect(result.messages.first?.inDoubt == true)
            #expect(result.decision.summary == "operator message in doubt (not repeated)")
        }
    }

    /// A crash during a call leaves its intent; the re-run asks the provider before deciding.
    @Test func effectInterruptedByACrash_isLookedUp_beforeAnythingIsRepeated() async throws {
        try await withStore { store, interaction in
            let calls = Mutex(0)
            func run(_ journal: ExecutionJournal, effect: String, lookup: EffectLookup<String>?,
                     crash: Bool = false) async throws -> EffectResult<String> {
                journal.beginStep(keyBase: "\(interaction.id.rawValue):confirm#0")
                let result = try await journal.perform(effect, provider: "twilio", operation: "sendSMS", lookup: lookup,
                                                       encode: { .string($0) }, decode: { $0.stringValue }) {
                    calls.withLock { $0 += 1 }
                    if crash { throw CancellationError() }
                    return "SM-new"
                }
                try await journal.flush(update: nil)
                return result
            }
            let recorded = Mutex<JSONObject?>(nil)
            let found = EffectLookup<String>(hints: ["body_sha256": "abc"]) { hints in
                recorded.withLock { $0 = hints }
                return "SM-found"
            }
            let absent = EffectLookup<String> { _ in nil }
            let failing = EffectLookup<String> { _ in
                throw ProviderError(kind: .retryable, provider: "twilio", operation: "listMessages", status: 503, message: "down")
            }
            for effect in ["found", "absent", "failing"] {
                let crashed = ExecutionJournal(store: store, tenant: "acme", id: interaction.id, isFresh: true)
                _ = try? await run(crashed, effect: effect, lookup: found, crash: true)
            }
            #expect(calls.withLock { $0 } == 3)

            let rerun = ExecutionJournal(store: store, tenant: "acme", id: interaction.id, isFresh: false)
            #expect(try await run(rerun, effect: "found", lookup: found).value == "SM-found")
            #expect(recorded.withLock { $0 }?["body_sha256"] == "abc" && recorded.withLock { $0 }?["intended_at"]?.intValue != nil)
            #expect(rerun.stepEffects().map { $0["result"] } == ["reconciled"])
            #expect(try await run(rerun, effect: "absent", lookup: absent).value == "SM-new")
            #expect(rerun.stepEffects().map { $0["result"] } == ["looked_up", "performed"])
            guard case .inDoubt = try await run(rerun, effect: "failing", lookup: failing) else {
                Issue.record("a lookup that fails leaves the effect in doubt"); return
            }
            #expect(rerun.stepEffects().first?["lookup"]?.stringValue?.contains("could not tell") == true)
            #expect(calls.withLock { $0 } == 4, "only the effect proven absent is made again")
            // What was found is the effect's result from now on: replayed without asking again.
            let third = ExecutionJournal(store: store, tenant: "acme", id: interaction.id, isFresh: false)
            #expect(try await run(third, effect: "found", lookup: failing).value == "SM-found")
            #expect(third.stepEffects().map { $0["result"] } == ["replayed"])
        }
    }
}
