import Model
import Testing
@testable import Routing

/// `services[].recurrence` and `integrations.scheduling.recurring_event_types`: a service booked
/// as a series every few weeks, on Cal.com event types that repeat at that interval.
struct RecurrenceConfigTests {
    static let scheduling = """
          scheduling:
            provider: calcom
            base_url: https://cal.example.com
            credentials:
              api_key: ${CALCOM_KEY:-cal_test}
            event_types:
              drain: 1
              leak: 2
            recurring_event_types:
              drain: { 1: 11, 2: 12 }

        """

    /// The fixture tenant with a calendar, and `recurrence` (as given) on the drain service.
    static func tenant(recurrence: String = "    recurrence:\n      every_weeks: [1, 2]\n      max_count: 6\n",
                       scheduling: String = RecurrenceConfigTests.scheduling) -> String {
        TestFiles.validFixture
            .replacingFirst("integrations:\n", with: "integrations:\n" + scheduling)
            .replacingFirst("    deposit: 25%\n", with: "    deposit: 25%\n" + recurrence)
    }

    /// `line:col` of the first `needle` in `text` (1-based), for expectations that follow the file.
    static func position(of needle: String, in text: String, column offset: Int = 0) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            let text = String(line)
            if let range = text.range(of: needle) {
                return "\(index + 1):\(text.distance(from: text.startIndex, to: range.lowerBound) + 1 + offset)"
            }
        }
        return "?"
    }

    @Test func recurrence_decodesIntervalsCountAndEventTypes() throws {
        let config = try TestFiles.load(Self.tenant()).get().config
        let drain = try #require(config.service(id: "drain"))
        #expect(drain.recurrence == Recurrence(everyWeeks: [1, 2], maxCount: 6))
        #expect(config.service(id: "leak")?.recurrence == nil)
        #expect(config.integrations[.scheduling]?.recurringEventTypes == ["drain": [1: 11, 2: 12]])
    }

    @Test func recurrence_acceptsOneNumberAndAnEndDate() throws {
        let text = Self.tenant(recurrence: "    recurrence:\n      every_weeks: 2\n      until: 2027-07-31\n",
                               scheduling: Self.scheduling.replacingFirst("{ 1: 11, 2: 12 }", with: "{ 2: 12 }"))
        let recurrence = try #require(try TestFiles.load(text).get().config.service(id: "drain")?.recurrence)
        #expect(recurrence.everyWeeks == [2])
        #expect(recurrence.maxCount == nil)
        #expect(recurrence.until == LocalDate(year: 2027, month: 7, day: 31))
    }

    @Test func recurrence_wordsForIntervals_areRefusedWithTheNumberToWrite() {
        let text = Self.tenant(recurrence: "    recurrence:\n      every_weeks: [1, fortnightly]\n      max_count: 6\n",
                               scheduling: Self.scheduling.replacingFirst("{ 1: 11, 2: 12 }", with: "{ 1: 11 }"))
        #expect(TestFiles.problems(text) == [
            "\(Self.position(of: "fortnightly", in: text)): services.drain.recurrence.every_weeks[1]: expected a number of weeks "
                + "(1 for weekly, 2 for fortnightly, 4 for four-weekly), got \"fortnightly\"",
        ])
    }

    @Test func recurrence_outOfRangeAndRepeatedIntervals_pointAtTheValue() {
        let text = Self.tenant(recurrence: "    recurrence:\n      every_weeks: [1, 1, 60]\n      max_count: 1\n")
        let problems = TestFiles.problems(text)
        #expect(problems.contains("\(Self.position(of: "[1, 1, 60]", in: text, column: 4)): services.drain.recurrence.every_weeks[1]: "
                                  + "1 is listed twice; list each interval once"), "\(problems)")
        #expect(problems.contains("\(Self.position(of: "60]", in: text)): services.drain.recurrence.every_weeks[2]: "
                                  + "must be between 1 and 52, got 60"), "\(problems)")
        #expect(problems.contains("\(Self.position(of: "max_count: 1", in: text, column: 11)): services.drain.recurrence.max_count: "
                                  + "must be between 2 and 52, got 1"), "\(problems)")
    }

    @Test func recurrence_withoutALimit_saysHowToEndASeries() {
        let text = Self.tenant(recurrence: "    recurrence:\n      every_weeks: [1, 2]\n")
        #expect(TestFiles.problems(text) == [
            "\(Self.position(of: "recurrence:", in: text, column: 0)): services.drain.recurrence: missing \"max_count\" or \"until\": "
                + "say how long a series may run (max_count: 12, or until: 2027-07-31)",
        ])
    }

    @Test func recurrence_misspeltKeyAndBadDate_areNamed() {
        let text = Self.tenant(recurrence: "    recurrence:\n      every_week: [1]\n      every_weeks: [1, 2]\n      until: 2027-02-30\n")
        #expect(TestFiles.problems(text) == [
            "\(Self.position(of: "every_week:", in: text)): services.drain.recurrence.every_week: unknown key (did you mean \"every_weeks\"?)",
            "\(Self.position(of: "2027-02-30", in: text)): services.drain.recurrence.until: expected a date like 2027-07-31, got \"2027-02-30\"",
        ].sorted())
    }

    @Test func recurringEventTypes_mustMatchTheIntervalsOffered() {
        let text = Self.tenant(recurrence: "    recurrence:\n      every_weeks: [1, 2, 4]\n      max_count: 6\n",
                               scheduling: Self.scheduling.replacingFirst("{ 1: 11, 2: 12 }", with: "{ 1: 11, 3: 13 }\n      leak: { 1: 21 }"))
        #expect(TestFiles.problems(text) == [
            "\(Self.position(of: "3: 13", in: text)): integrations.scheduling.recurring_event_types.drain.3: drain does not offer a series "
                + "every 3 weeks (its recurrence.every_weeks is [1, 2, 4]); add 3 there or remove this entry",
            "\(Self.position(of: "{ 1: 21 }", in: text)): integrations.scheduling.recurring_event_types.leak: leak has no recurrence: "
                + "add recurrence: to the service, or remove this entry",
            "\(Self.position(of: "[1, 2, 4]", in: text)): services.drain.recurrence.every_weeks: Cal.com books a series on an event type "
                + "that repeats at its interval; add the event type for every 2, 4 weeks under "
                + "integrations.scheduling.recurring_event_types.drain",
        ])
    }
}
