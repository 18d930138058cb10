import Model

/// Which service a customer's words are about, as an optional second opinion to the tenant's
/// keyword matchers.
public protocol IntentClassifier: Sendable {
    /// - Returns: the chosen service id (one of `services`) or nil when none fits, with a
    ///   confidence from 0 to 1.
    /// - Throws: `ProviderError`, including `.permanent` when the model's answer does not fit the
    ///   schema: the caller then falls back to its deterministic matching.
    func classify(_ text: String, services: [(id: String, name: String, examples: [String])],
                  context: CallContext) async throws -> (service: String?, confidence: Double)
}

/// An `IntentClassifier` over an OpenAI-compatible `POST {base}/chat/completions`, asking for a
/// JSON object `{"service": "<id>" | null, "confidence": 0..1}` and validating it strictly.
public struct ChatCompletionsClassifier: IntentClassifier {
    public struct Configuration: Sendable {
        /// `https://api.openai.com/v1`, or the sandbox's `<base>/openai/v1`.
        public var baseURL: String
        public var apiKey: String
        public var model: String
        public var policy: ResiliencePolicy

        public init(baseURL: String, apiKey: String, model: String, policy: ResiliencePolicy = ResiliencePolicy(attemptTimeoutSeconds: 8)) {
            self.baseURL = baseURL
            self.apiKey = apiKey
            self.model = model
            self.policy = policy
        }
    }

    public let configuration: Configuration
    let runtime: IntegrationRuntime

    public init(configuration: Configuration, runtime: IntegrationRuntime) {
        self.configuration = configuration
        self.runtime = runtime
    }

    public func classify(_ text: String, services: [(id: String, name: String, examples: [String])],
                         context: CallContext) async throws -> (service: String?, confidence: Double) {
        let catalogue = services.map { service in
            "- \(service.id): \(service.name)" + (service.examples.isEmpty ? "" : " (e.g. \(service.examples.prefix(6).joined(separator: ", ")))")
        }.joined(separator: "\n")
        let system = """
            You route a customer's message to one of a business's services. The services are:
            \(catalogue)
            Answer with a JSON object only: {"service": "<one id from the list>" or null if none fits, "confidence": a number from 0 to 1}.
            """
        var request = HTTPClient.Request(method: "POST", url: ProviderAnswer.join(configuration.baseURL, "/chat/completions"))
        request.setJSON([
            "model": .string(configuration.model), "temperature": 0,
            "response_format": ["type": "json_object"],
            "messages": [["role": "system", "content": .string(system)], ["role": "user", "content": .string(text)]],
        ])
        request.authorize(.bearer(configuration.apiKey))
        let known = Set(services.map(\.id))
        let operation = ProviderOperation(provider: "openai", integration: "classifier", name: "classify", safety: .idempotent,
                                          policy: configuration.policy, secrets: [configuration.apiKey], idempotencyKey: nil)
        return try await runtime.perform(operation, request, context: context) { response in
            guard response.isSuccess else {
                return .failure(ProviderError(kind: ProviderError.kind(forStatus: response.status), provider: "openai", operation: "classify",
                                              status: response.status, message: String(response.bodyText.prefix(200))))
            }
            return Self.validate(response.json, known: known)
        }
    }

    /// The model's answer, if it is exactly what was asked for.
    static func validate(_ json: JSON?, known: Set<String>) -> Result<(service: String?, confidence: Double), ProviderError> {
        func invalid(_ why: String) -> Result<(service: String?, confidence: Double), ProviderError> {
            .failure(ProviderError(kind: .permanent, provider: "openai", operation: "classify", message: "the answer does not fit the schema: \(why)"))
        }
        guard let content = json?.value(at: "choices.0.message.content")?.stringValue else { return invalid("no message content") }
        guard let answer = try? JSONParser.parse(content, maxDepth: 4), let object = answer.objectValue else {
            return invalid("the content is not a JSON object")
        }
        guard Set(object.keys).isSubset(of: ["service", "confidence"]) else { return invalid("unexpected fields \(object.keys)") }
        guard let confidence = object["confidence"]?.doubleValue, (0...1).contains(confidence) else {
            return invalid("confidence must be a number from 0 to 1")
        }
        switch object["service"] {
        case .null?, nil: return .success((nil, confidence))
        case .string(let id)?:
            guard known.contains(id) else { return invalid("\"\(id)\" is not one of the services") }
            return .success((id, confidence))
        default: return invalid("service must be a service id or null")
        }
    }
}
