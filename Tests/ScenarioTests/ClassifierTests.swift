@testable import Integration
import Model
import Testing

/// The optional intent classifier: used when configured, with keyword matching as the fallback.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct ClassifierTests {
    @Test func configuredClassifier_choosesTheService() async throws {
        let harness = try Harness(classifier: true)
        let trace = try await AcmePlumbingTests.book(harness, phone: "+15125550301", text: "The water heater is broken, no hot water")
        let identify = trace["steps"]?[0]
        #expect(identify?.value(at: "decision.reasons.0")?.stringValue?.hasPrefix("the classifier chose water_heater") == true,
                "\(identify ?? .null)")
        #expect(trace.value(at: "context.service.id") == "water_heater")
        #expect(identify?["calls"]?[0]?["provider"] == "openai")
    }

    @Test func classifierAnswerOutsideTheSchema_fallsBackToKeywords() async throws {
        let harness = try Harness(classifier: true)
        let trace = try await AcmePlumbingTests.book(harness, phone: "+15125550302", text: "gibberish-answer: my sink is clogged")
        let reasons = trace["steps"]?[0]?.value(at: "decision.reasons")?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(reasons.first?.contains("the classifier failed") == true, "\(reasons)")
        #expect(reasons.first?.contains("does not fit the schema") == true)
        #expect(trace.value(at: "context.service.id") == "drain_cleaning")
    }

    @Test func validation_acceptsOnlyTheSchema() {
        func answer(_ content: String) -> JSON { ["choices": [["message": ["content": .string(content)]]]] }
        let known: Set<String> = ["a", "b"]
        if case .success(let value) = ChatCompletionsClassifier.validate(answer(#"{"service":"a","confidence":0.9}"#), known: known) {
            #expect(value.service == "a" && value.confidence == 0.9)
        } else { Issue.record("a valid answer was refused") }
        if case .success(let value) = ChatCompletionsClassifier.validate(answer(#"{"service":null,"confidence":0.1}"#), known: known) {
            #expect(value.service == nil)
        } else { Issue.record("null was refused") }
        for bad in [#"{"service":"c","confidence":0.9}"#, #"{"service":"a","confidence":2}"#, #"{"service":"a"}"#,
                    #"{"service":"a","confidence":0.5,"why":"x"}"#, "not json", #"["a"]"#, #"{"service":1,"confidence":0.5}"#] {
            if case .success = ChatCompletionsClassifier.validate(answer(bad), known: known) { Issue.record("accepted \(bad)") }
        }
    }
}
