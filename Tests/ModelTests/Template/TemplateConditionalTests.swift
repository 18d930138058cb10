import Testing
@testable import Model

struct TemplateConditionalTests {
    private let chicago = TemplateEnvironment(timeZone: TenantTimeZone(identifier: "America/Chicago")!, currency: .usd)

    private func resolved(_ source: String) throws(TemplateError) -> Template {
        try Template(parsing: source).resolvingConditions { (text: String) throws(ConditionError) -> ConditionExpression in
            try condition(text)
        }
    }

    private func render(_ source: String, _ context: JSON) throws -> String {
        try resolved(source).render(context, in: chicago)
    }

    @Test func conditionalParts_renderWhenTheConditionHolds() throws {
        let source = "Booked{{#if fields.extras contains oven}}, oven included{{/if}}.{{#if customer.is_new}} Welcome!{{else}} Good to see you again.{{/if}}"
        #expect(try render(source, ["fields": ["extras": ["oven"]], "customer": ["is_new": true]]) == "Booked, oven included. Welcome!")
        #expect(try render(source, ["customer": ["is_new": false]]) == "Booked. Good to see you again.")
        // Nested, with variables inside.
        let nested = "{{#if fields.bedrooms >= 3}}Big home{{#if fields.pets}} with pets ({{fields.bedrooms}} rooms){{/if}}{{else}}Small home{{/if}}"
        #expect(try render(nested, ["fields": ["bedrooms": 4, "pets": true]]) == "Big home with pets (4 rooms)")
        #expect(try render(nested, ["fields": ["bedrooms": 2, "pets": true]]) == "Small home")
    }

    @Test func variablesInsideConditionals_mayBeMissing() throws {
        let template = try resolved("Hi {{customer.name}}{{#if booking.id is set}}, booking {{booking.id}}{{/if}}")
        #expect(template.variables.map(\.path) == ["customer.name", "booking.id"])
        #expect(template.variables.map(\.hasDefault) == [false, true])
        #expect(template.conditions.map(\.source) == ["booking.id is set"])
    }

    @Test func malformedConditionals_sayWhere() {
        func problem(_ source: String) -> String? {
            do throws(TemplateError) {
                _ = try resolved(source)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(problem("A {{#if customer.is_new}}new") == "1:3: `{{#if customer.is_new}}` is never closed: end it with `{{/if}}`")
        #expect(problem("A{{/if}}") == "1:2: `{{/if}}` without an `{{#if …}}` before it")
        #expect(problem("{{#if}}x{{/if}}") == "1:1: `{{#if}}` needs a condition, as in {{#if customer.is_new}}")
        #expect(problem("{{#if a.b}}x{{/if}}") == "1:7: unknown key a.b")
        #expect(problem("{{#if customer.is_new}}{{else}}{{else}}{{/if}}") == "1:32: a second `{{else}}` in one `{{#if}}`: close it with `{{/if}}` first")
        // The condition's own errors, placed in the template: line 2, inside the tag.
        #expect(problem("Hello\n{{#if fields.size == enormous}}x{{/if}}") == "2:22: fields.size is one of small, medium, large; \"enormous\" is not one of them")
    }
}
