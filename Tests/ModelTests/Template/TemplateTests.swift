import Testing
@testable import Model

struct TemplateTests {
    let chicago = TemplateEnvironment(timeZone: TenantTimeZone(identifier: "America/Chicago")!, currency: .usd)

    private func render(_ source: String, _ context: JSON, in environment: TemplateEnvironment? = nil) throws -> String {
        try Template(parsing: source).render(context, in: environment ?? chicago)
    }

    private func parseError(_ source: String) -> TemplateError? {
        do {
            _ = try Template(parsing: source)
            return nil
        } catch {
            return error
        }
    }

    @Test func variables_areListedWithPositions() throws {
        let template = try Template(parsing: "Hi {{ customer.name }},\nyour {{service.name|upper}} is at {{slot.start | time}}.")
        #expect(template.variables.map(\.path) == ["customer.name", "service.name", "slot.start"])
        #expect(template.variables.map(\.line) == [1, 2, 2])
        #expect(template.variables.map(\.column) == [7, 8, 37])
        #expect(try Template(parsing: "plain text").isConstant)
    }

    @Test func render_substitutesPathsThroughObjectsAndArrays() throws {
        let context: JSON = ["customer": ["name": "Dana"], "alternatives": [["start": "x"], ["start": "y"]], "count": 3]
        #expect(try render("Hi {{customer.name}}, {{alternatives.1.start}} ({{count}})", context) == "Hi Dana, y (3)")
    }

    @Test func missingValue_rendersEmpty_orItsDefault() throws {
        #expect(try render("Hi {{customer.name}}!", [:]) == "Hi !")
        #expect(try render("Hi {{customer.name | default: \"there\"}}!", [:]) == "Hi there!")
        #expect(try render("Hi {{customer.name | default: 'there'}}!", ["customer": ["name": ""]]) == "Hi there!")
        #expect(try render("Hi {{customer.name | default: \"there\" | upper}}!", ["customer": ["name": "dana"]]) == "Hi DANA!")
    }

    @Test func money_formatsMinorUnitsInTheTenantCurrency_orTheNamedOne() throws {
        #expect(try render("{{price.total | money}}", ["price": ["total": 145000]]) == "$1,450.00")
        #expect(try render("{{fee | money: GBP}}", ["fee": 4000]) == "£40.00")
        #expect(try render("{{fee | money}}", ["fee": ["amount": 7550, "currency": "eur"]]) == "€75.50")
        #expect(try render("{{fee | money}}", ["fee": -1250]) == "-$12.50")
        #expect(try render("{{fee | money: JPY}}", ["fee": 1200]) == "¥1,200")
    }

    @Test func dates_renderInTheTenantZone_acrossDaylightSaving() throws {
        // 2026-11-24T15:00Z is 09:00 in Chicago (CST, UTC-6); 2026-07-01T15:00Z is 10:00 (CDT).
        let context: JSON = ["winter": "2026-11-24T15:00:00Z", "summer": "2026-07-01T15:00:00Z", "day": "2026-12-25"]
        #expect(try render("{{winter | datetime}}", context) == "Tue, Nov 24 at 9:00 AM")
        let summer = try render("{{summer | time}} {{summer | time: \"HH:mm z\"}}", context)
        #expect(summer == "10:00 AM 10:00 CDT")
        #expect(try render("{{winter | date: \"EEEE d MMMM yyyy\"}}", context) == "Tuesday 24 November 2026")
        #expect(try render("{{day | date}}", context) == "Fri, Dec 25")
        #expect(try render("{{t | date: \"yyyy-MM-dd HH:mm\"}}", ["t": 1_795_000_000]) == "2026-11-18 05:06")
    }

    @Test func tenantDatePatterns_areTheDefaults() throws {
        let london = TemplateEnvironment(timeZone: TenantTimeZone(identifier: "Europe/London")!, currency: .gbp,
                                         datePattern: DatePattern.parse("EEE d MMM")!, timePattern: DatePattern.parse("HH:mm")!)
        #expect(try render("{{t | datetime}}", ["t": "2026-07-01T15:00:00Z"], in: london) == "Wed 1 Jul at 16:00")
    }

    @Test func slots_areNumberedLines() throws {
        let context: JSON = ["alternatives": [["start": "2026-11-24T15:00:00Z"], ["start": "2026-11-24T19:30:00Z"]]]
        #expect(try render("{{alternatives | slots}}", context) == "1) Tue, Nov 24 at 9:00 AM\n2) Tue, Nov 24 at 1:30 PM")
    }

    @Test func json_quotesAndEscapes() throws {
        #expect(try render("{\"note\": {{note | json}}, \"n\": {{n | json}}, \"x\": {{x | json}}}",
                           ["note": "say \"hi\"", "n": 5]) == "{\"note\": \"say \\\"hi\\\"\", \"n\": 5, \"x\": null}")
    }

    @Test func unclosedVariable_isReportedWhereItOpens() {
        let failure = parseError("Hello\n  see you {{slot.start | time")
        #expect(failure == TemplateError("`{{` is never closed: end the variable with `}}`", line: 2, column: 11))
    }

    @Test func unknownFormatter_suggestsTheClosest() {
        let failure = parseError("{{price.total | mony}}")
        #expect(failure?.message.hasPrefix("unknown formatter `mony` (did you mean \"money\"?)") == true)
        #expect(failure?.column == 17)
    }

    @Test func badArguments_areRejected() {
        #expect(parseError("{{x | default}}")?.message == "`default` needs an argument, as in `| default: \"text\"`")
        #expect(parseError("{{x | upper: loud}}")?.message == "`upper` takes no argument")
        #expect(parseError("{{x | money: dollars}}")?.message == "`money` takes a currency code such as \"USD\", not \"dollars\"")
        #expect(parseError("{{x | date: \"QQQ\"}}")?.message.hasPrefix("\"QQQ\" is not a date pattern") == true)
        #expect(parseError("{{x | default: \"open}}")?.message == "the argument's quote \" is never closed")
    }

    @Test func badPaths_areRejected() {
        #expect(parseError("{{}}")?.message == "empty variable `{{}}`: name a value such as `{{customer.name}}`")
        #expect(parseError("{{customer.}}")?.message == "a variable cannot end with `.`")
        #expect(parseError("{{customer name}}")?.message.hasPrefix("unexpected `n` in a variable") == true)
        #expect(parseError("{{ -x }}")?.column == 4)
    }
}
