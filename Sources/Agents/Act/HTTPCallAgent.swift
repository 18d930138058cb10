import Integration
import Model

/// `http.call`: one operation of a generic HTTP system from the tenant's `integrations.systems`,
/// its templates rendered against the context, its mapped answer fields put in
/// `http.<operation>.*`. Calls that change something (not GET/HEAD) go through the effect journal.
public struct HTTPCallAgent: Agent {
    public let name = "http.call"
    public let hasEffects = true

    public init() {}

    public func run(_ input: StepInput) async -> StepResult {
        guard let systemName = input.parameters["integration"]?.text, let system = input.config.integrations.systems[systemName],
              let operationName = input.parameters["operation"]?.text, let definition = system.operations[operationName] else {
            return .outcome(.error, "unknown HTTP system or operation", reasons: ["check the step's integration and operation"])
        }
        let context = JSON.object(input.context)
        let environment = input.config.templateEnvironment
        let headers = (system.headers.merging(definition.headers) { $1 })
            .sorted { $0.key < $1.key }
            .map { (name: $0.key, value: $0.value.render(context, in: environment)) }
        var success = GenericHTTPOperation.SuccessCriteria(statuses: definition.success.statuses.isEmpty ? nil : definition.success.statuses)
        success.fieldPath = definition.success.field
        success.fieldValue = definition.success.equals
        let operation = GenericHTTPOperation(name: operationName, method: definition.method,
                                             url: definition.path.render(context, in: environment), headers: headers,
                                             body: definition.body?.render(context, in: environment),
                                             extract: definition.response, success: success)
        guard let client = input.providers.system(system, operation: operation) else {
            return .outcome(.error, "no HTTP runtime", reasons: [])
        }
        let callContext = input.callContext, systemCall = input.providers.systemCall
        // Through the providers' hook, so that the answer is recorded in the trace and a what-if
        // replay answers from that recording.
        let call: @Sendable () async throws -> JSON = {
            try await systemCall(systemName, operationName, callContext) {
                let result = try await client.call(operationName, context: callContext)
                return .object(JSONObject(result.fields.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }))
            }
        }
        do {
            let fields: JSON?
            if ["GET", "HEAD"].contains(operation.method) {
                fields = try await call()
            } else {
                fields = try await input.effects.perform(operationName, provider: "http", operation: "\(systemName).\(operationName)",
                                                         encode: { $0 }, decode: { $0 }, call: call).value
            }
            guard let fields else {
                return StepResult(outcome: .error, decision: Decision("\(systemName).\(operationName) in doubt",
                                                                reasons: ["an interrupted call is not repeated"], errorKind: "in_doubt"))
            }
            return .ok("\(systemName).\(operationName) succeeded", delta: ["http": [operationName: fields]])
        } catch let error as ProviderError where error.kind == .notFound {
            return .outcome(.notFound, "\(systemName).\(operationName): not found", reasons: [error.description])
        } catch {
            return .failure("\(systemName).\(operationName) failed", error: error)
        }
    }
}
