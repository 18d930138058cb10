import HTTP
import Model

/// A deterministic stand-in for an OpenAI-compatible `POST /openai/v1/chat/completions` intent
/// classifier: it reads the service list from the system message (`- id: name (e.g. words)`)
/// and picks the service with the most of its words in the user's message. A message containing
/// `gibberish-answer` gets an answer that breaks the schema, to exercise callers' fallbacks.
final class ChatCompletionsSimulator: Sendable {
    private let context: SandboxContext

    init(context: SandboxContext) {
        self.context = context
    }

    func register(on routes: RouterBuilder) {
        routes.add(.post, "/openai/v1/chat/completions", context.faults.guarded(.sandbox) { request in
            guard request.headers["Authorization"]?.hasPrefix("Bearer ") == true else {
                return .json(["error": ["message": "Missing bearer token", "type": "invalid_request_error"]], status: .unauthorized)
            }
            guard let json = request.json, let messages = json["messages"]?.arrayValue else {
                return .json(["error": ["message": "messages is required", "type": "invalid_request_error"]], status: .badRequest)
            }
            let system = messages.first { $0["role"] == "system" }?["content"]?.stringValue ?? ""
            let user = messages.last { $0["role"] == "user" }?["content"]?.stringValue ?? ""
            let content = user.contains("gibberish-answer") ? "I think it is the sink one" : Self.answer(system: system, user: user).serialized()
            return .json([
                "id": .string("chatcmpl-\(SandboxIDs.alphanumeric("", length: 12))"), "object": "chat.completion",
                "model": json["model"] ?? "sandbox",
                "choices": [["index": 0, "message": ["role": "assistant", "content": .string(content)], "finish_reason": "stop"]],
            ])
        })
    }

    static func answer(system: String, user: String) -> JSON {
        let words = Set(user.lowercased().split { !$0.isLetter }.map(String.init))
        var best: (id: String, score: Int)?
        for line in system.split(separator: "\n") where line.hasPrefix("- ") {
            let body = line.dropFirst(2)
            guard let colon = body.firstIndex(of: ":") else { continue }
            let id = String(body[..<colon])
            let described = Set(body.lowercased().split { !$0.isLetter }.map(String.init)).filter { $0.count > 3 }
            let score = described.intersection(words).count
            if score > (best?.score ?? 0) { best = (id, score) }
        }
        guard let best else { return ["service": .null, "confidence": 0.2] }
        return ["service": .string(best.id), "confidence": .double(min(0.95, 0.5 + 0.15 * Double(best.score)))]
    }
}
