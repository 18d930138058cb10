import Integration
import Model
import Synchronization

/// The answers one interaction's providers gave, as its trace recorded them, handed out again in
/// order per operation. What a replay asks for that was not recorded is noted, so a report can
/// say which answers came from elsewhere.
public final class RecordedAnswers: Sendable {
    private struct State {
        var queues: [String: ArraySlice<ProviderAnswer>] = [:]
        var missing: [String] = []
    }

    private let state: Mutex<State>

    public init(_ answers: [ProviderAnswer]) {
        var queues: [String: ArraySlice<ProviderAnswer>] = [:]
        for answer in answers { queues[answer.key, default: []].append(answer) }
        state = Mutex(State(queues: queues))
    }

    /// The answers in the `answers` arrays of step details, in step order.
    public convenience init(stepDetails: [JSON]) {
        self.init(stepDetails.flatMap { ($0["answers"]?.arrayValue ?? []).compactMap(ProviderAnswer.init(json:)) })
    }

    /// The next recorded answer to `role.operation`, or nil (and noted) when there is none left.
    func next(_ role: String, _ operation: String) -> ProviderAnswer? {
        let key = "\(role).\(operation)"
        return state.withLock { state in
            guard let answer = state.queues[key]?.popFirst() else {
                state.missing.append(key)
                return nil
            }
            return answer
        }
    }

    /// Calls the replay made that had no recorded answer (`role.operation`), in order.
    public var missing: [String] { state.withLock { $0.missing } }

    /// Recorded answers the replay never asked for, by `role.operation`.
    public var unused: [String: Int] {
        state.withLock { $0.queues.filter { !$0.value.isEmpty }.mapValues(\.count) }
    }

    /// Whether any answer for `role` was recorded.
    func hasAnswers(for role: String) -> Bool {
        state.withLock { $0.queues.keys.contains { $0.hasPrefix(role + ".") } }
    }

    /// The recorded answer decoded, the recorded error thrown, or `fallback` when none was recorded.
    func replay<T: Sendable>(_ role: String, _ operation: String, decode: (JSON) -> T?,
                             fallback: (() async throws -> T)?) async throws -> T {
        if let answer = next(role, operation) {
            if let error = answer.error { throw error }
            if let value = decode(answer.result) { return value }
        }
        guard let fallback else {
            throw ProviderError(kind: .permanent, provider: role, operation: operation,
                                message: "no recorded answer to replay and no sandbox to ask", mayHaveTakenEffect: false)
        }
        return try await fallback()
    }
}
