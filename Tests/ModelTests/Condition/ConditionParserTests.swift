import Testing
@testable import Model

struct ConditionParserTests {
    private func holds(_ text: String, _ values: [String: ConditionValue]) throws -> Bool {
        try condition(text).holds(in: MockScope(values))
    }

    @Test func comparisons_onNumbersMoneyTimesAndDates() throws {
        let values: [String: ConditionValue] = ["fields.bedrooms": .number(4), "price.total": .money(25_050),
                                                "slot.time": .time(TimeOfDay(hour: 18, minute: 30)),
                                                "fields.move_date": .date(LocalDate(year: 2026, month: 12, day: 24))]
        #expect(try holds("fields.bedrooms >= 4", values))
        #expect(try holds("fields.bedrooms > 3.5", values))
        #expect(try !holds("fields.bedrooms < 4", values))
        #expect(try holds("fields.bedrooms <= 4 and fields.bedrooms != 5", values))
        #expect(try holds("fields.bedrooms == 4", values))
        #expect(try holds("price.total > 250", values))           // 250.50 > 250.00
        #expect(try !holds("price.total > 250.50", values))
        #expect(try holds("slot.time >= 18:00", values))
        #expect(try holds("fields.move_date < 2026-12-25", values))
    }

    @Test func membership_andContains() throws {
        let values: [String: ConditionValue] = ["fields.size": .text("large"), "slot.weekday": .weekday(.saturday),
                                                "customer.tags": .list(["member", "vip"]), "fields.extras": .list(["oven"]),
                                                "interaction.text": .text("Please come ASAP, the sink is blocked"),
                                                "slot.time": .time(TimeOfDay(hour: 23, minute: 0))]
        #expect(try holds("fields.size in [medium, large]", values))
        #expect(try !holds("fields.size not in [medium, large]", values))
        #expect(try holds("slot.weekday in [saturday, sunday]", values))
        #expect(try holds("customer.tags contains member", values))
        #expect(try holds("customer.tags in [regular, vip]", values))      // any overlap
        #expect(try !holds("fields.extras contains windows", values))
        #expect(try holds("interaction.text contains asap", values))       // whole words, any case
        #expect(try holds("interaction.text contains 'sink is blocked'", values))
        #expect(try !holds("interaction.text contains sin", values))
        #expect(try holds("slot.time in [22:00-06:00]", values))           // crosses midnight
        #expect(try !holds("slot.time not in [22:00-06:00, 12:00-13:00]", values))
    }

    @Test func logic_precedence_andParentheses() throws {
        let values: [String: ConditionValue] = ["customer.is_new": .bool(true), "fields.pets": .bool(false), "fields.bedrooms": .number(2)]
        #expect(try holds("customer.is_new", values))
        #expect(try !holds("fields.pets", values))
        #expect(try holds("not fields.pets", values))
        // `and` binds tighter than `or`.
        #expect(try holds("fields.pets and fields.bedrooms > 5 or customer.is_new", values))
        #expect(try !holds("fields.pets and (fields.bedrooms > 5 or customer.is_new)", values))
        #expect(try holds("true", values))
        #expect(try !holds("false or not true", values))
    }

    @Test func missingKeys_makeTestsFalse_andIsSetAsksForPresence() throws {
        #expect(try !holds("fields.bedrooms > 2", [:]))
        #expect(try !holds("fields.bedrooms <= 2", [:]))
        #expect(try holds("not fields.bedrooms > 2", [:]))
        #expect(try !holds("fields.size in [large]", [:]))
        #expect(try holds("fields.size is not set", [:]))
        #expect(try holds("fields.size is set", ["fields.size": .text("small")]))
        #expect(try !holds("customer.is_new", [:]))
    }

    @Test func keyToKeyComparisons_needTheSameType() throws {
        #expect(try holds("price.total > service.price", ["price.total": .money(200), "service.price": .money(100)]))
        #expect(refusal("price.total > fields.bedrooms") == "15: price.total is an amount and fields.bedrooms is a number: they cannot be compared")
    }

    @Test func typeErrors_sayWhatTheKeyIs_andWhere() {
        #expect(refusal("fields.bedrooms >= \"four\"")
                == "20: fields.bedrooms is a number; \"four\" is not (write it as in fields.bedrooms >= 3)")
        #expect(refusal("fields.size == enormous")
                == "16: fields.size is one of small, medium, large; \"enormous\" is not one of them")
        #expect(refusal("fields.size == lareg")
                == "16: fields.size is one of small, medium, large; \"lareg\" is not one of them (did you mean \"large\"?)")
        #expect(refusal("fields.extras contains dishes")
                == "24: fields.extras is one of oven, windows, fridge; \"dishes\" is not one of them")
        #expect(refusal("fields.size > small") == "13: fields.size is one of small, medium, large: it has no order; use == or != (or `in [...]`)")
        #expect(refusal("customer.tags == member") == "15: customer.tags is a list of names: use `contains`, as in customer.tags contains name")
        #expect(refusal("fields.bedrooms") == "1: fields.bedrooms is a number, not true or false: compare it, as in fields.bedrooms >= 3")
        #expect(refusal("slot.weekday == caturday")
                == "17: \"caturday\" is not a weekday (did you mean \"saturday\"?); write monday … sunday")
        #expect(refusal("price.total > 250.505") == "15: 250.505 has more decimals than USD allows (2)")
        #expect(refusal("customer.is_new contains x") == "17: customer.is_new is true or false: `contains` is for lists and text")
        #expect(refusal("price.total in [1, 2]") == "13: price.total is an amount: compare it with == or <, not `in`")
        #expect(refusal("slot.time in [18:00]") == "15: expected a time range like 18:00-08:00, found `18:00`")
    }

    @Test func unknownKeys_suggestTheClosest() {
        #expect(refusal("fields.bedroom > 2") == "1: unknown key fields.bedroom (did you mean \"fields.bedrooms\"?)")
        #expect(refusal("customer.vip") == "1: unknown key customer.vip (did you mean \"customer.id\"?)")
        #expect(refusal("customer.favourite") == "1: unknown key customer.favourite; customer has customer.email, customer.id, "
                + "customer.is_new, customer.label, customer.last_visit, customer.name, customer.phone, customer.tags, customer.visits")
        #expect(refusal("fields.colour == red") == "1: unknown key fields.colour; fields has fields.bedrooms, fields.extras, "
                + "fields.move_date, fields.pets, fields.size (declare it under fields:)")
        #expect(refusal("bedrooms > 2") == "1: `bedrooms` is not a key: keys name their namespace, as in fields.bedrooms or customer.bedrooms")
        #expect(refusal("event.type == 'x'") == nil)       // open namespaces
    }

    @Test func syntaxErrors_namePlaceAndFix() {
        #expect(refusal("") == "1: the condition is empty")
        #expect(refusal("fields.bedrooms = 2") == "17: `=` alone is not a comparison: write `==`")
        #expect(refusal("fields.bedrooms > 2 and") == "24: expected a key such as fields.size, found the end of the condition")
        #expect(refusal("(fields.pets") == "13: expected `)`, found the end of the condition")
        #expect(refusal("fields.pets fields.pets") == "13: expected `and`, `or` or the end of the condition, found `fields.pets`")
        #expect(refusal("interaction.text contains 'oops") == "27: the quote ' is never closed")
        #expect(refusal("fields.size in large") == "16: expected `[` starting a list, as in [a, b], found `large`")
        #expect(refusal("fields.size is present") == "16: expected `set` (as in `fields.size is set`), found `present`")
        #expect(refusal("fields.pets &&") == "13: unexpected `&`: conditions use key names, quoted text, numbers, "
                + "== != < <= > >=, in, contains, is set, and, or, not and parentheses")
        #expect(refusal("fields.pets\nand fields.bedrooms = 1") == "2:21: `=` alone is not a comparison: write `==`")
    }

    @Test func bounds_onLengthTestsAndDepth() {
        #expect(refusal(String(repeating: "fields.pets or ", count: 140) + "fields.pets")?.hasPrefix("1: a condition may be at most 2000") == true)
        #expect(refusal(Array(repeating: "fields.pets", count: 65).joined(separator: " or "))?.hasSuffix("may test at most 64 keys; split it") == true)
        #expect(refusal(String(repeating: "not ", count: 17) + "fields.pets") == "65: the condition nests deeper than 16 levels")
    }
}
