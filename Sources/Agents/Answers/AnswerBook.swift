import Integration
import Model
import Synchronization

/// The recorded answers of many interactions, each found by the interaction a call is made for:
/// a call's context carries its step's key, `int_…:state#visit`, whose first part is the
/// interaction's id. One engine can then replay several interactions, including a conversation
/// whose reply resumes another interaction's steps.
public final class AnswerBook: Sendable {
    private let books = Mutex<[String: RecordedAnswers]>([:])

    public init() {}

    /// Files `answers` under the interaction `id`.
    public func add(_ answers: RecordedAnswers, for id: InteractionID) {
        books.withLock { $0[id.rawValue] = answers }
    }

    public func answers(for id: InteractionID) -> RecordedAnswers? {
        books.withLock { $0[id.rawValue] }
    }

    /// The answers of the interaction a call with `context` is made for.
    func answers(for context: CallContext) -> RecordedAnswers? {
        let key = context.idempotencyKey
        let id = key.firstIndex(of: ":").map { String(key[..<$0]) } ?? key
        return books.withLock { $0[id] }
    }

    /// Whether any interaction's recording holds an answer for `role` (`classifier`, `crm`, ...).
    public func hasAnswers(for role: String) -> Bool {
        books.withLock { $0.values.contains { $0.hasAnswers(for: role) } }
    }

    /// The recorded answer for this call, or `fallback` when the interaction has none left.
    func replay<T: Sendable>(_ role: String, _ operation: String, context: CallContext, decode: (JSON) -> T?,
                             fallback: (() async throws -> T)?, synthesized: (object: String, make: () -> T)? = nil) async throws -> T {
        guard let answers = answers(for: context) else {
            guard let fallback else {
                throw ProviderError(kind: .permanent, provider: role, operation: operation,
                                    message: "no recorded answer to replay and no sandbox to ask", mayHaveTakenEffect: false)
            }
            return try await fallback()
        }
        return try await answers.replay(role, operation, decode: decode, fallback: fallback, synthesized: synthesized)
    }
}
