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
        var used = 0
    }

    private let state: Mutex<State>
    /// Ids of the objects the recording's answers name (contacts, bookings, payments).
    private let objectIDs: Set<String>

    public init(_ answers: [ProviderAnswer]) {
        var queues: [String: ArraySlice<ProviderAnswer>] = [:]
        var ids = Set<String>()
        for answer in answers {
            queues[answer.key, default: []].append(answer)
            Self.collectIDs(answer.result, into: &ids)
        }
        state = Mutex(State(queues: queues))
        objectIDs = ids
    }

    private static func collectIDs(_ json: JSON, into ids: inout Set<String>) {
        switch json {
        case .object(let object):
            for (key, value) in object {
                if ["id", "uid", "payment_intent"].contains(key), let text = value.stringValue { ids.insert(text) }
                collectIDs(value, into: &ids)
            }
        case .array(let array):
            for value in array { collectIDs(value, into: &ids) }
        default:
            break
        }
    }

    /// Whether `id` names an object one of the recorded answers returned.
    func knows(_ id: String) -> Bool { objectIDs.contains(id) }

    /// Notes a call answered without the provider or the sandbox (see `replay`).
    func noteSynthesized(_ key: String) {
        state.withLock { state in
            if state.missing.last == key { state.missing.removeLast() }
            state.missing.append(key + " (answered as a success: its object exists only in the recording)")
        }
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
            state.used += 1
            return answer
        }
    }

    /// Recorded answers handed out so far.
    public var used: Int { state.withLock { $0.used } }

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
    ///
    /// A write the recording did not make, to an object only the recording knows (a note on a
    /// contact the provider returned then), cannot reach the sandbox, which never saw that object:
    /// when the sandbox refuses it (404, or a 400 naming the unknown object), `synthesized` answers
    /// as the provider would on success.
    func replay<T: Sendable>(_ role: String, _ operation: String, decode: (JSON) -> T?,
                             fallback: (() async throws -> T)?, synthesized: (object: String, make: () -> T)? = nil) async throws -> T {
        if let answer = next(role, operation) {
            if let error = answer.error { throw error }
            if let value = decode(answer.result) { return value }
        }
        guard let fallback else {
            throw ProviderError(kind: .permanent, provider: role, operation: operation,
                                message: "no recorded answer to replay and no sandbox to ask", mayHaveTakenEffect: false)
        }
        do {
            return try await fallback()
        } catch let error as ProviderError where error.kind == .notFound || (error.kind == .permanent && [400, 404].contains(error.status ?? 0)) {
            guard let synthesized, knows(synthesized.object) else { throw error }
            noteSynthesized("\(role).\(operation)")
            return synthesized.make()
        }
    }
}
