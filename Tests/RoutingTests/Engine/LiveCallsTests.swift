import Model
import Testing
@testable import Routing

/// The handshake between a waiting caller and the steps of an execution: whatever a step hands
/// the line before it closes is said in the answer; after, the step is told to text instead.
struct LiveCallsTests {
    static let root = InteractionID("int_01JD2M3XK8Q4N6V9T0R5B7C1E2")!
    static let reply = InteractionID("int_01JD2M3XK8Q4N6V9T0R5B7C1E3")!

    @Test func stepsFindTheLine_byEveryInteractionItWaitsOn_untilItCloses() throws {
        let calls = LiveCalls()
        let line = calls.open(tenant: "acme", ids: [Self.reply, Self.root])
        #expect(calls.line(tenant: "acme", id: Self.root) === line)
        #expect(calls.line(tenant: "acme", id: Self.reply) === line)
        #expect(calls.line(tenant: "other", id: Self.root) == nil)
        #expect(calls.openCount == 1)
        #expect(line.say("You're booked."))
        #expect(line.ask("Which time?"))
        let handed = calls.close(line)
        #expect(handed == LiveCalls.Line.Handed(said: ["You're booked."], question: "Which time?"))
        #expect(calls.line(tenant: "acme", id: Self.root) == nil)
        #expect(calls.openCount == 0)
    }

    @Test func afterTheAnswerWentOut_stepsAreRefused_andNothingMoreIsHanded() {
        let calls = LiveCalls()
        let line = calls.open(tenant: "acme", ids: [Self.root])
        #expect(calls.close(line) == LiveCalls.Line.Handed(said: [], question: nil))
        #expect(!line.say("too late"))
        #expect(!line.ask("too late?"))
        #expect(calls.close(line) == LiveCalls.Line.Handed(said: [], question: nil))
    }

    @Test func oneQuestionPerTurn_andNothingSaidAfterIt() {
        let calls = LiveCalls()
        let line = calls.open(tenant: "acme", ids: [Self.root])
        #expect(line.ask("Which time?"))
        #expect(!line.ask("Yes or no?"))
        #expect(!line.say("after the question"))
        #expect(calls.close(line).question == "Which time?")
    }

    @Test func aNewerLine_forTheSameInteraction_isNotRemovedByClosingTheOlder() {
        let calls = LiveCalls()
        let old = calls.open(tenant: "acme", ids: [Self.root])
        let new = calls.open(tenant: "acme", ids: [Self.root])
        _ = calls.close(old)
        #expect(calls.line(tenant: "acme", id: Self.root) === new)
    }

    @Test func racingSteps_andClose_loseNothing() async {
        // Many lines, each with a step handing over while the webhook closes: every text is either
        // in the answer or was refused (and so goes by SMS) — never both, never neither.
        let calls = LiveCalls()
        for round in 0..<200 {
            let line = calls.open(tenant: "t", ids: [Self.root])
            async let accepted: Bool = Task.detached { line.say("message \(round)") }.value
            let handed = calls.close(line)
            let wasAccepted = await accepted
            #expect(handed.said.contains("message \(round)") == wasAccepted)
        }
    }
}
