import Model
import Testing
@testable import Agents

struct RequestedTimeTests {
    let zone = TenantTimeZone(identifier: "America/Chicago")!
    /// Wednesday 2026-11-18 15:00 in Chicago (21:00 UTC).
    let now: Int64 = 1_795_035_600_000

    func local(_ seconds: Int64) -> String {
        let c = zone.localTime(atUnixSeconds: seconds)
        return "\(c.year)-\(c.month)-\(c.day) \(c.hour):\(c.minute)"
    }

    @Test func tomorrowMorning_isAWindow() throws {
        let requested = try #require(RequestedTime.parse("can someone come tomorrow morning?", now: now, zone: zone))
        #expect(local(requested.start) == "2026-11-19 7:0")
        #expect(local(requested.end) == "2026-11-19 12:0")
        #expect(requested.exact == nil)
        #expect(requested.phrase == "tomorrow morning")
    }

    @Test func weekdayAndClockTime_isExact() throws {
        let requested = try #require(RequestedTime.parse("Friday at 3:30pm works", now: now, zone: zone))
        #expect(requested.exact.map(local) == "2026-11-20 15:30")
        let same = try #require(RequestedTime.parse("wednesday 10am", now: now, zone: zone))
        #expect(same.exact.map(local) == "2026-11-25 10:0")  // today is Wednesday: the next one
    }

    @Test func bareTimeAlreadyPast_meansTomorrow() throws {
        let requested = try #require(RequestedTime.parse("10am works", now: now, zone: zone))
        #expect(requested.exact.map(local) == "2026-11-19 10:0")
        let later = try #require(RequestedTime.parse("5pm?", now: now, zone: zone))
        #expect(later.exact.map(local) == "2026-11-18 17:0")
    }

    @Test func afterAndBefore_makeWindows() throws {
        let after = try #require(RequestedTime.parse("today after 5pm", now: now, zone: zone))
        #expect(local(after.start) == "2026-11-18 17:0")
        #expect(after.exact == nil)
    }

    @Test func noTimeWords_isNil() {
        #expect(RequestedTime.parse("my sink is clogged", now: now, zone: zone) == nil)
        #expect(RequestedTime.parse("call me on 5550100", now: now, zone: zone) == nil)
    }

    @Test func explicitField_wins() throws {
        let requested = try #require(RequestedTime.find(fields: ["requested_time": "2026-11-20T14:00:00Z"], text: "tomorrow morning",
                                                        now: now, zone: zone))
        #expect(requested.exact == 1_795_183_200)
    }
}

struct IntentScoringTests {
    @Test func phrasesAndPatternsOutweighKeywords() {
        let drain = ServiceMatchers(keywords: ["drain", "clogged"], phrases: ["sink is clogged"])
        let leak = ServiceMatchers(keywords: ["leak"], patterns: [#"\b(pipe|faucet)s? (is )?leak(ing)?\b"#])
        #expect(IntentAgent.score("My sink is clogged", drain).score == 4)
        #expect(IntentAgent.score("the pipe is leaking under the sink", leak).score == 3)
        #expect(IntentAgent.score("hello", drain).score == 0)
    }

    @Test func patterns_matchIgnoringCase_andBadOnesThrow() throws {
        let leak = ServiceMatchers(patterns: [#"\bPIPES? (IS )?LEAK(ING)?\b"#])
        #expect(IntentAgent.score("The pipe is leaking", leak).matched == [#"pattern /\bPIPES? (IS )?LEAK(ING)?\b/"#])
        #expect(IntentAgent.score("The pipe is leaking again", leak).score == 3)
        #expect(IntentAgent.score("a pipeline", leak).score == 0)
        #expect(throws: (any Error).self) { try ServiceMatchers.compiledPattern("(unclosed") }
    }

    @Test func patterns_pastTheCacheLimit_stillCompileAndMatch() throws {
        // Distinct patterns fill the process-wide cache; the ones past its limit compile on each use.
        for n in 0...ServiceMatchers.cachedPatternLimit {
            _ = try ServiceMatchers.compiledPattern("^x{\(n)}$")
        }
        let past = "^x{\(ServiceMatchers.cachedPatternLimit + 1)}$"
        #expect(try ServiceMatchers.compiledPattern(past).wholeMatch(in: String(repeating: "X", count: ServiceMatchers.cachedPatternLimit + 1)) != nil)
        #expect(try ServiceMatchers.compiledPattern(past).wholeMatch(in: "x") == nil)
    }
}

struct ConversationChoiceTests {
    @Test func replies_pickAnAlternativeByNumber() {
        let alternatives: [JSON] = [["start": "2026-11-23T13:00:00Z"], ["start": "2026-11-23T14:30:00Z"], ["start": "2026-11-23T17:30:00Z"]]
        #expect(ConversationAgent.choiceIndex(["2", "please"], alternatives: alternatives, now: 0, zone: .utc) == 1)
        #expect(ConversationAgent.choiceIndex(["7"], alternatives: alternatives, now: 0, zone: .utc) == nil)
        #expect(ConversationAgent.choiceIndex(["the", "2:30pm", "one"], alternatives: alternatives,
                                              now: 1_795_400_000_000, zone: .utc) == 1)
        // Callers' speech comes as words.
        #expect(ConversationAgent.choiceIndex(["the", "second", "one", "please"], alternatives: alternatives, now: 0, zone: .utc) == 1)
        #expect(ConversationAgent.choiceIndex(["three"], alternatives: alternatives, now: 0, zone: .utc) == 2)
    }
}

struct MaxPerDayTests {
    struct Ledger: InteractionLedger {
        let fullDays: Set<Int64>
        func context(of id: InteractionID) async -> JSONObject? { nil }
        func annotate(_ id: InteractionID, with delta: JSONObject) async throws {}
        func bookings(service: String, from: Int64, to: Int64) async -> Int { fullDays.contains(from) ? 2 : 1 }
    }

    @Test func fullDays_areSkipped() async {
        let service = Service(id: "heater", name: "Heater", duration: .seconds(3600), price: Money(minorUnits: 100, currency: Currency(code: "USD")!),
                              eligibility: Eligibility(maxPerDay: 2))
        let day1: Int64 = 1_795_046_400  // 2026-11-19 00:00 UTC
        let candidates = [day1 + 3600, day1 + 7200, day1 + 86_400 + 3600]
        let kept = await SlotAgent.withoutFullDays(candidates, service: service, zone: .utc, ledger: Ledger(fullDays: [day1]))
        #expect(kept == [day1 + 86_400 + 3600])
        let unlimited = Service(id: "x", name: "X", duration: .seconds(3600), price: service.price)
        #expect(await SlotAgent.withoutFullDays(candidates, service: unlimited, zone: .utc, ledger: Ledger(fullDays: [day1])) == candidates)
    }
}
