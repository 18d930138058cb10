import Integration
import Model

/// `intent.classify`: which service the customer wants. An explicit service id wins; otherwise
/// the tenant's matchers score the text (phrases and patterns count more than single keywords)
/// and the best-scoring service is chosen, in catalogue order on a tie.
public struct IntentAgent: Agent {
    public let name = "intent.classify"
    public let hasEffects = false

    public init() {}

    public func run(_ input: StepInput) async -> StepResult {
        if let explicit = input.interaction.service {
            guard let service = input.config.service(id: explicit) else {
                return .outcome(.notFound, "no service \"\(explicit)\"", reasons: ["the caller named a service this tenant does not offer"],
                                delta: ["intent": ["confidence": 0.0]])
            }
            return .ok("the caller asked for \(service.name)", reasons: ["explicit service id \(service.id)"],
                       delta: Self.delta(for: service, fields: input.fields, confidence: 1, matched: ["service id"]))
        }
        // Recognised when the engine chose the flow by service: the same answer, not a second guess.
        if let id = input.string("service.id"), let service = input.config.service(id: id) {
            return .ok("already recognised \(service.name)", reasons: ["recognised before the flow was chosen (step route)"])
        }
        let text = input.interaction.text ?? ""
        var classifierNote: String?
        if let classifier = input.classifier, !text.isEmpty {
            let services = input.config.services.map { ($0.id, $0.name, $0.matchers.phrases + $0.matchers.keywords) }
            do {
                let answer = try await classifier.classify(text, services: services, context: input.callContext)
                if let id = answer.service, let service = input.config.service(id: id), answer.confidence >= 0.5 {
                    let confidence = (answer.confidence * 100).rounded() / 100
                    return .ok("recognised \(service.name)", reasons: ["the classifier chose \(id) with confidence \(confidence)"],
                               delta: Self.delta(for: service, fields: input.fields, confidence: confidence, matched: ["classifier"]))
                }
                classifierNote = "the classifier found no service with confidence ≥ 0.5; keyword matching decides"
            } catch {
                classifierNote = "the classifier failed (\(ProviderFailure.describe(error))); keyword matching decides"
            }
        }
        let scored = input.config.services.map { service in (service, Self.score(text, service.matchers)) }
        guard let best = scored.max(by: { $0.1.score < $1.1.score }), best.1.score > 0 else {
            return .outcome(.notFound, "no service matched the message",
                            reasons: (classifierNote.map { [$0] } ?? []) + ["none of the services' keywords, phrases or patterns appear in the text"],
                            delta: ["intent": ["confidence": 0.0]])
        }
        // Confidence: this service's share of all the evidence.
        let total = scored.reduce(0) { $0 + $1.1.score }
        let confidence = (Double(best.1.score) / Double(total) * 100).rounded() / 100
        return .ok("recognised \(best.0.name)",
                   reasons: (classifierNote.map { [$0] } ?? []) + best.1.matched.map { "matched \($0)" } + ["confidence \(confidence)"],
                   delta: Self.delta(for: best.0, fields: input.fields, confidence: confidence, matched: best.1.matched))
    }

    static func score(_ text: String, _ matchers: ServiceMatchers) -> (score: Int, matched: [String]) {
        let lower = text.lowercased()
        let words = Set(lower.split { !($0.isLetter || $0.isNumber || $0 == "'") }.map(String.init))
        var score = 0
        var matched: [String] = []
        for phrase in matchers.phrases where lower.contains(phrase.lowercased()) {
            score += 3
            matched.append("phrase \"\(phrase)\"")
        }
        for pattern in matchers.patterns {
            if let regex = try? ServiceMatchers.compiledPattern(pattern), lower.contains(regex) {
                score += 3
                matched.append("pattern /\(pattern)/")
            }
        }
        for keyword in matchers.keywords where words.contains(keyword.lowercased()) {
            score += 1
            matched.append("keyword \"\(keyword)\"")
        }
        return (score, matched)
    }

    static func delta(for service: Service, fields: JSONObject, confidence: Double, matched: [String]) -> JSONObject {
        [
            "service": [
                "id": .string(service.id), "name": .string(service.name),
                "duration_minutes": .int(service.duration(for: fields).components.seconds / 60),
                "price": .int((service.basePrice(for: fields)?.price ?? service.price).minorUnits),
                "currency": .string(service.price.currency.code),
            ],
            "intent": ["confidence": .double(confidence), "matched": .array(matched.map { .string($0) })],
        ]
    }
}
