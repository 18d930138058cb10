import Integration
import Model

/// What a provider answered one call: the decoded value, or the error it failed with. The engine
/// keeps these in each step's trace (`answers`) so `switchboard what-if` can replay an
/// interaction's providers without calling them.
///
/// Only the fields the agents read are kept, never credentials: a PaymentIntent's client secret is
/// dropped, as are headers and raw bodies.
public struct ProviderAnswer: Sendable, Equatable {
    /// The integration role (`crm`, `payments`, `scheduling`, `messaging`, `operator`, `email`)
    /// or `classifier`.
    public var role: String
    /// The role protocol's operation (`searchContact`, `createBooking`).
    public var operation: String
    /// The decoded answer (`null` for calls that return nothing).
    public var result: JSON
    /// Set instead of a result when the call failed with a `ProviderError`.
    public var error: ProviderError?

    public init(role: String, operation: String, result: JSON = .null, error: ProviderError? = nil) {
        self.role = role
        self.operation = operation
        self.result = result
        self.error = error
    }

    /// The queue a replay takes this answer from.
    public var key: String { "\(role).\(operation)" }

    public var json: JSON {
        var object: JSONObject = ["role": .string(role), "operation": .string(operation)]
        if let error {
            var failure: JSONObject = ["kind": .string(error.kind.rawValue), "provider": .string(error.provider),
                                       "message": .string(error.message)]
            if let status = error.status { failure["status"] = .int(Int64(status)) }
            if let code = error.code { failure["code"] = .string(code) }
            if let resource = error.resourceID { failure["resource_id"] = .string(resource) }
            if let seconds = error.retryAfterSeconds { failure["retry_after"] = .double(seconds) }
            if !error.mayHaveTakenEffect { failure["may_have_taken_effect"] = false }
            object["error"] = .object(failure)
        } else {
            object["result"] = result
        }
        return .object(object)
    }

    public init?(json: JSON) {
        guard let role = json["role"]?.stringValue, let operation = json["operation"]?.stringValue else { return nil }
        self.role = role
        self.operation = operation
        result = json["result"] ?? .null
        if let failure = json["error"], let kind = failure["kind"]?.stringValue.flatMap(ProviderError.Kind.init(rawValue:)) {
            var error = ProviderError(kind: kind, provider: failure["provider"]?.stringValue ?? role, operation: operation,
                                      status: failure["status"]?.intValue.map { Int($0) }, code: failure["code"]?.stringValue,
                                      message: failure["message"]?.stringValue ?? "",
                                      retryAfterSeconds: failure["retry_after"]?.doubleValue,
                                      mayHaveTakenEffect: failure["may_have_taken_effect"]?.boolValue ?? true)
            error.resourceID = failure["resource_id"]?.stringValue
            self.error = error
        }
    }
}

/// Receives provider answers; the engine's per-step call recorder implements it, and the recording
/// decorators find it through `CallContext.recorder`.
public protocol ProviderAnswerRecorder: Sendable {
    func recordAnswer(_ answer: ProviderAnswer)
}

/// Runs a provider call and hands its answer to the step's recorder, if it takes answers.
enum AnswerTap {
    static func call<T: Sendable>(_ role: String, _ operation: String, context: CallContext, encode: (T) -> JSON,
                                  _ body: () async throws -> T) async throws -> T {
        guard let sink = context.recorder as? any ProviderAnswerRecorder else { return try await body() }
        do {
            let value = try await body()
            sink.recordAnswer(ProviderAnswer(role: role, operation: operation, result: encode(value)))
            return value
        } catch let error as ProviderError {
            sink.recordAnswer(ProviderAnswer(role: role, operation: operation, error: error))
            throw error
        }
    }
}
