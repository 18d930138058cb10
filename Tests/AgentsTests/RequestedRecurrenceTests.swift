import Model
import Testing
@testable import Agents

struct RequestedRecurrenceTests {
    func parse(_ text: String) -> RequestedRecurrence? { RequestedRecurrence.parse(text) }

    @Test func intervalWords_giveTheirWeeks() {
        #expect(parse("weekly physio please")?.everyWeeks == 1)
        #expect(parse("every week on tuesday")?.everyWeeks == 1)
        #expect(parse("once a week")?.everyWeeks == 1)
        #expect(parse("every Monday at 10am")?.everyWeeks == 1)
        #expect(parse("can I come on Tuesdays")?.everyWeeks == 1)
        #expect(parse("fortnightly sessions")?.everyWeeks == 2)
        #expect(parse("every other week")?.everyWeeks == 2)
        #expect(parse("every two weeks")?.everyWeeks == 2)
        #expect(parse("every 3 weeks")?.everyWeeks == 3)
        #expect(parse("every 1 week")?.everyWeeks == 1)
        #expect(parse("every second week")?.everyWeeks == 2)
        #expect(parse("every 4th week")?.everyWeeks == 4)
        #expect(parse("a monthly massage")?.everyWeeks == 4)
        #expect(parse("once a month")?.everyWeeks == 4)
    }

    @Test func countWords_giveTheOccurrences() {
        let six = parse("weekly, 6 sessions starting Monday")
        #expect(six == RequestedRecurrence(everyWeeks: 1, count: 6, phrase: "weekly 6 sessions"))
        #expect(parse("every 2 weeks, four appointments")?.count == 4)
        #expect(parse("every 2 weeks for 8 weeks")?.count == 4)
        #expect(parse("monthly for 3 months")?.count == 3)
        #expect(parse("fortnightly")?.count == nil)
    }

    @Test func textWithoutAnInterval_isNotASeries() {
        #expect(parse("my knee has hurt for 2 weeks") == nil)
        #expect(parse("next week on Tuesday at 10am") == nil)
        #expect(parse("this week please") == nil)
        #expect(parse("every day") == nil)
        #expect(parse("") == nil)
    }

    @Test func fields_winOverWords() throws {
        let found = try RequestedRecurrence.find(fields: ["repeat_every_weeks": 2, "occurrences": 4], text: "weekly")
        #expect(found == RequestedRecurrence(everyWeeks: 2, count: 4, phrase: "every 2 weeks, 4 times", fromFields: true))
        #expect(try RequestedRecurrence.find(fields: ["repeat_every_weeks": "1"], text: nil)?.everyWeeks == 1)
        #expect(try RequestedRecurrence.find(fields: [:], text: "every other week")?.everyWeeks == 2)
        #expect(try RequestedRecurrence.find(fields: ["postal_code": "78704"], text: nil) == nil)
    }

    @Test func badFields_sayWhichAndWhy() {
        #expect(throws: RequestedRecurrence.Problem(message: "fields.repeat_every_weeks must be a whole number from 1 to 520")) {
            try RequestedRecurrence.find(fields: ["repeat_every_weeks": "two"], text: nil)
        }
        #expect(throws: RequestedRecurrence.Problem(message: "fields.occurrences must be a whole number from 1 to 520")) {
            try RequestedRecurrence.find(fields: ["repeat_every_weeks": 1, "occurrences": 0], text: nil)
        }
        #expect(throws: RequestedRecurrence.Problem(
            message: "fields.occurrences needs fields.repeat_every_weeks: how many weeks apart the appointments are")) {
            try RequestedRecurrence.find(fields: ["occurrences": 4], text: "weekly")
        }
    }
}
