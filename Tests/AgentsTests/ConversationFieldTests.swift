import Model
import Testing
@testable import Agents

/// How `conversation.ask` with `expect: field` reads a reply into a request field.
struct ConversationFieldTests {
    private func value(_ field: RequestField, _ reply: String) -> JSON? {
        ConversationAgent.fieldValue(field, text: reply, words: WordMatch.words(of: reply))
    }

    @Test func replies_giveTheFieldsValue_byAliasNameOrNumber() {
        let bedrooms = RequestField(name: "bedrooms", kind: .integer, minimum: 1, maximum: 8, aliases: [.init(phrase: "bedroom")])
        #expect(value(bedrooms, "3") == 3)
        #expect(value(bedrooms, "it's a four bedroom flat") == 4)
        #expect(value(bedrooms, "three") == 3)
        #expect(value(bedrooms, "12") == nil)          // outside 1...8: asked again
        #expect(value(bedrooms, "a big house") == nil)
        let size = RequestField(name: "size", kind: .enumeration, values: ["small", "medium", "large"],
                                aliases: [.init(phrase: "labrador", value: "large")])
        #expect(value(size, "Medium please") == "medium")
        #expect(value(size, "she's a labrador") == "large")
        #expect(value(size, "small or medium") == nil)  // two values for a one-value field
        let extras = RequestField(name: "extras", kind: .enumeration, values: ["oven", "windows"], isMultiple: true)
        #expect(value(extras, "oven and windows") == ["oven", "windows"])
        let pets = RequestField(name: "pets", kind: .boolean)
        #expect(value(pets, "yes, a cat") == true)
        #expect(value(pets, "no") == false)
        #expect(value(RequestField(name: "move_date", kind: .date), " 2027-01-15 ") == "2027-01-15")
        #expect(value(RequestField(name: "email", kind: .email), "not an address") == nil)
    }
}
