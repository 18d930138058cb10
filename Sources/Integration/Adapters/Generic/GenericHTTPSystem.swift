import Model
import Native

/// "Any system with an API": calls configured as data (`GenericHTTPOperation`), with the same
/// resilience, error kinds and records as the built-in adapters.
public struct GenericHTTPSystem: Sendable {
    public struct Configuration: Sendable {
        /// The integration's name (`erp`).
        public var name: String
        /// Prefix for operation URLs that are paths.
        public var baseURL: String?
        public var authorization: HTTPClient.Authorization
        public var operations: [String: GenericHTTPOperation]
        public var policy: ResiliencePolicy
        public var caFile: String?

        public init(name: String, baseURL: String? = nil, authorization: HTTPClient.Authorization = .none,
                    operations: [GenericHTTPOperation], policy: ResiliencePolicy = .generic, caFile: String? = nil) {
            self.name = name
            self.baseURL = baseURL
            self.authorization = authorization
            self.operations = Dictionary(operations.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
            self.policy = policy
            self.caFile = caFile
        }
    }

    public let configuration: Configuration
    let runtime: IntegrationRuntime

    public init(configuration: Configuration, runtime: IntegrationRuntime) {
        self.configuration = configuration
        self.runtime = runtime
    }

    /// Runs the operation named `name`, rendering its templates with `render` first.
    ///
    /// - Throws: `ProviderError` (`notFound` for 404; `permanent` when the operation is unknown,
    ///   a template fails or the body does not render to JSON), or `CancellationError`.
    public func call(_ name: String, context: CallContext,
                     render: @Sendable (String) throws -> String = { $0 }) async throws -> GenericHTTPResult {
        guard let definition = configuration.operations[name] else {
            throw failure(name, "no operation named '\(name)' in integration \(configuration.name)")
        }
        var request: HTTPClient.Request
        var secrets = configuration.authorization.secrets
        do {
            var url = try render(definition.url)
            if !url.hasPrefix("http://") && !url.hasPrefix("https://"), let base = configuration.baseURL {
                url = ProviderAnswer.join(base, url)
            }
            request = HTTPClient.Request(method: definition.method, url: url, caFile: configuration.caFile)
            request.authorize(configuration.authorization)
            for header in definition.headers {
                let value = try render(header.value)
                // Rendered header values are often keys: keep them out of every record.
                secrets.append(value)
                request.setHeader(header.name, value)
            }
            if let template = definition.body {
                let text = try render(template)
                do {
                    request.setJSON(try JSONParser.parse(text))
                } catch {
                    throw failure(name, "the body template of \(name) did not render to JSON: \(error)")
                }
            }
        } catch let error as ProviderError {
            throw error
        } catch {
            throw failure(name, "a template of \(name) failed: \(Redaction.text(Logger.describe(error)))")
        }
        var key: String?
        if let header = definition.idempotencyHeader {
            key = context.idempotencyKey(for: "\(configuration.name).\(name)")
            request.setHeader(header, key!)
        }
        let operation = ProviderOperation(provider: "http", integration: configuration.name, name: name, safety: definition.safety,
                                          policy: configuration.policy, secrets: secrets, idempotencyKey: key)
        return try await runtime.perform(operation, request, context: context) { response in
            Self.interpret(response, definition)
        }
    }

    static func interpret(_ response: HTTPClient.Response, _ definition: GenericHTTPOperation) -> Result<GenericHTTPResult, ProviderError> {
        let json = response.json
        let statusOK = definition.success.statuses?.contains(response.status) ?? response.isSuccess
        guard statusOK else {
            let message = json?["message"]?.stringValue ?? json?["error"]?.stringValue ?? json?.value(at: "error.message")?.stringValue
            return .failure(ProviderAnswer.error(response, provider: "http", operation: definition.name, code: nil, message: message))
        }
        if let path = definition.success.fieldPath {
            let actual = json?.value(at: path)
            guard actual == definition.success.fieldValue else {
                let shown = actual.map { $0.serialized() } ?? "missing"
                let wanted = definition.success.fieldValue?.serialized() ?? "null"
                return .failure(ProviderError(kind: .permanent, provider: "http", operation: definition.name, status: response.status,
                                              code: "unexpected_answer", message: "\(path) was \(shown), expected \(wanted)"))
            }
        }
        var fields: [String: JSON] = [:]
        for (output, path) in definition.extract {
            if let value = json?.value(at: path) { fields[output] = value }
        }
        return .success(GenericHTTPResult(status: response.status, fields: fields, body: json))
    }

    private func failure(_ operation: String, _ message: String) -> ProviderError {
        ProviderError(kind: .permanent, provider: "http", operation: operation, code: "configuration", message: message,
                      mayHaveTakenEffect: false)
    }
}
