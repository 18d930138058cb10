import Testing
@testable import Model

struct RequestFieldTests {
    private let size = RequestField(name: "size", kind: .enumeration, values: ["small", "medium", "large"],
                                    aliases: [.init(phrase: "chihuahua", value: "small"), .init(phrase: "labrador", value: "large"),
                                              .init(phrase: "german shepherd", value: "large")])
    private let bedrooms = RequestField(name: "bedrooms", kind: .integer, isRequired: true, minimum: 1, maximum: 8,
                                        aliases: [.init(phrase: "bedroom"), .init(phrase: "bed")])
    private let extras = RequestField(name: "extras", kind: .enumeration, values: ["oven", "windows", "fridge"], isMultiple: true,
                                      aliases: [.init(phrase: "oven", value: "oven"), .init(phrase: "inside the fridge", value: "fridge")])

    @Test func normalize_acceptsTheType_andRefusesTheRest() {
        #expect(size.normalize("large") == .success("large"))
        #expect(size.normalize("enormous") == .failure(FieldProblem(field: "size", message: "must be one of \"small\", \"medium\", \"large\", got \"enormous\"")))
        #expect(bedrooms.normalize(3) == .success(3))
        #expect(bedrooms.normalize(9) == .failure(FieldProblem(field: "bedrooms", message: "must be a whole number from 1 to 8, got 9")))
        #expect(bedrooms.normalize(2.5) == .failure(FieldProblem(field: "bedrooms", message: "must be a whole number from 1 to 8, got 2.5")))
        #expect(bedrooms.normalize("3") == .failure(FieldProblem(field: "bedrooms", message: "must be a whole number from 1 to 8, got \"3\"")))
        // Several values come back in declaration order, once each.
        #expect(extras.normalize(["fridge", "oven", "fridge"]) == .success(["oven", "fridge"]))
        #expect(extras.normalize(["oven", "dishes"])
                == .failure(FieldProblem(field: "extras", message: "\"dishes\" is not allowed; must be a list of values among \"oven\", \"windows\", \"fridge\"")))
        let when = RequestField(name: "when", kind: .time)
        #expect(when.normalize("14:30") == .success("14:30"))
        #expect(when.normalize("2pm").isFailure)
        #expect(RequestField(name: "email", kind: .email).normalize("Dana@Example.com") == .success("dana@example.com"))
        #expect(RequestField(name: "mobile", kind: .phone).normalize("5125550100").isFailure)
        #expect(RequestField(name: "pets", kind: .boolean).normalize("yes").isFailure)
    }

    @Test func aliases_setValuesFromTheCustomersWords() {
        let words = WordMatch.words(of: "Our German Shepherd needs a groom")
        #expect(size.read(from: words)?.value == "large")
        #expect(size.read(from: WordMatch.words(of: "a small favour")) == nil)    // only aliases count
        #expect(bedrooms.read(from: WordMatch.words(of: "a 3-bedroom house"))?.value == 3)
        #expect(bedrooms.read(from: WordMatch.words(of: "four bedrooms and two baths"))?.value == 4)
        #expect(bedrooms.read(from: WordMatch.words(of: "12 bedrooms"))?.value == nil)   // outside 1...8
        #expect(extras.read(from: WordMatch.words(of: "do the oven and inside the fridge please"))?.value == ["oven", "fridge"])
    }
}

extension Result {
    var isFailure: Bool { if case .failure = self { true } else { false } }
}
