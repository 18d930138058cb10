import Model
import Testing
@testable import Routing

/// Request fields, conditions, price tables and add-ons in tenant files.
struct ConditionConfigTests {
    static let fields = """
        fields:
          bedrooms: { type: integer, min: 1, max: 4, required: true, aliases: [bedroom, bed] }
          extras:
            type: enum
            multiple: true
            values: [oven, windows]
            aliases: { oven: [oven], windows: ["the windows"] }

        """

    /// The fixture with the fields above and `service` in place of its drain service's price.
    private func file(service: String = "price: 100.00", rules: String = "") -> String {
        var text = TestFiles.validFixture.replacingFirst("services:\n", with: Self.fields + "services:\n")
        text = text.replacingFirst("    price: 100.00\n", with: service.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") + "\n")
        if !rules.isEmpty { text = text.replacingFirst("pricing:\n  rules:\n", with: "pricing:\n  rules:\n" + rules) }
        return text
    }

    @Test func fieldsTablesAndAddOns_load() throws {
        let text = file(service: """
            price:
              by: bedrooms
              table: { 1: 80.00, 2: 100.00, 3: 120.00, 4: 140.00 }
            add_ons:
              - field: extras
                prices: { oven: 35.00, windows: 40.00 }
                minutes: { oven: 45 }
            """, rules: """
                - id: big_home
                  surcharge: 10.00
                  when: "fields.bedrooms >= 3 and fields.extras contains oven"

            """)
        let config = try TestFiles.load(text).get().config
        #expect(config.fields.map(\.name) == ["bedrooms", "extras"])
        let drain = try #require(config.service(id: "drain"))
        #expect(drain.price.minorUnits == 8000)   // the table's lowest: the "from" price
        #expect(drain.basePrice(for: ["bedrooms": 3])?.price.minorUnits == 12_000)
        #expect(drain.duration(for: ["extras": ["oven"]]) == .seconds(60 * 60 + 45 * 60))
        let rule = try #require(config.pricing.rules.first { $0.id == "big_home" })
        #expect(rule.condition.source == "fields.bedrooms >= 3 and fields.extras contains oven")
    }

    @Test func shorthand_readsAsTheConditionItStandsFor() throws {
        let config = try TestFiles.load(TestFiles.validFixture).get().config
        #expect(config.pricing.rules.map(\.condition.source) == ["slot.time in [17:00-22:00]"])
    }

    @Test func conditionErrors_pointInsideTheValue() {
        let text = file(rules: """
                - id: typo
                  discount: 5%
                  when: "fields.bedroms >= 3"
                - id: wrong_type
                  discount: 5%
                  when: fields.bedrooms >= "three"
                - id: not_a_value
                  discount: 5%
                  when: "fields.extras contains dishwasher"

            """)
        #expect(TestFiles.problems(text) == [
            "59:14: pricing.rules.typo.when: unknown key fields.bedroms (did you mean \"fields.bedrooms\"?)",
            "62:32: pricing.rules.wrong_type.when: fields.bedrooms is a number; \"three\" is not (write it as in fields.bedrooms >= 3)",
            "65:37: pricing.rules.not_a_value.when: fields.extras is one of oven, windows; \"dishwasher\" is not one of them",
        ])
    }

    @Test func tableErrors_nameTheMissingEntries_andUnknownFields() {
        let text = file(service: """
            price:
              by: bedrooms
              table: { 1: 80.00, 2: 100.00, 5: 150.00 }
            add_ons:
              - field: pets
                each: 10.00
            """)
        #expect(TestFiles.problems(text) == [
            "49:5: services.drain.price.table: no entry for bedrooms 3, 4; add them or give a default",
            "51:37: services.drain.price.table.5: bedrooms never has the value \"5\"; it is a whole number from 1 to 4",
            "53:16: services.drain.add_ons[0].field: no field \"pets\" is declared for this service; declare it under fields:",
        ])
    }

    @Test func aFieldDeclaredTwice_isReportedOnce_whereTheSecondIs() {
        let text = file(service: """
            price: 100.00
            fields:
              bedrooms: { type: integer, min: 1, max: 4 }
            """)
        #expect(TestFiles.problems(text) == [
            "51:7: services.drain.fields.bedrooms: the field \"bedrooms\" is already declared at 39:3; "
                + "fields share one namespace across the tenant and its services",
        ])
    }

    @Test func fieldErrors_saywhatIsWrong() {
        let text = TestFiles.validFixture.replacingFirst("services:\n", with: """
            fields:
              size: { type: enum }
              rooms: { type: integr }
              pets: { type: boolean, values: [yes] }
              level: { type: integer, min: 5, max: 2 }
              breed: { type: enum, values: [small], aliases: { tiny: [chihuahua] } }
            services:

            """)
        #expect(TestFiles.problems(text) == [
            "39:3: fields.size: an enum field needs its values: values: [small, medium, large]",
            "40:18: fields.rooms.type: unknown field type \"integr\" (did you mean \"integer\"?)",
            "41:26: fields.pets.values: only enum fields list values",
            "42:3: fields.level: min 5 is above max 2",
            "43:52: fields.breed.aliases.tiny: \"tiny\" is not a value of breed; values: small",
        ])
    }

    /// The fixture's flow with a branch after finding the customer.
    private func branching(_ branch: String) -> String {
        let indented = branch.split(separator: "\n").map { "        " + $0 }.joined(separator: "\n")
        return TestFiles.validFixture.replacingFirst("        agent: customer.find_or_create\n        next: greet\n",
                                                     with: "        agent: customer.find_or_create\n        next: route\n      route:\n" + indented + "\n")
    }

    @Test func branchStates_load_andTheirTargetsCount() throws {
        let text = branching("""
            branch:
              - when: customer.is_new
                to: greet
              - when: "customer.tags contains vip"
                to: greet
            else: greet
            """)
        let config = try TestFiles.load(text).get().config
        let branch = try #require(config.flows["main"]?.states["route"]?.branch)
        #expect(branch.cases.map(\.condition.source) == ["customer.is_new", "customer.tags contains vip"])
        #expect(branch.otherwise == "greet")
        // The vip path skips greeting the customer: outcome-completeness sees the branch's edges.
        let skipping = branching("""
            branch:
              - when: "customer.tags contains vip"
                to: tell_ops
            else: greet
            """)
        #expect(TestFiles.problems(skipping) == [
            "90:7: flows.main.states.done: a path reaches this completed state without confirming the customer (notify.customer): "
                + "find → route → tell_ops → note → done",
        ])
    }

    @Test func branchErrors_targetsConditionsAndAgents() {
        let text = branching("""
            branch:
              - when: "customer.is_new == yes"
                to: gret
            else: greet
            agent: crm.note
            """)
        #expect(TestFiles.problems(text) == [
            "75:39: flows.main.states.route.branch[0].when: customer.is_new is true or false; `yes` is not (write it as in customer.is_new)",
            "78:9: flows.main.states.route.agent: a branch state runs no agent: its ways out are its cases and else; remove \"agent\"",
        ])
        let target = branching("""
            branch:
              - when: customer.is_new
                to: gret
            else: greet
            """)
        #expect(TestFiles.problems(target) == [
            "76:17: flows.main.states.route.branch[0].to: transition to unknown state \"gret\" (did you mean \"greet\"?)",
        ])
    }
}
