import Agents
import Integration
import Model
import Synchronization

/// Collects the provider calls of one step, and what the providers answered, for its trace record.
final class CallCollector: ProviderCallRecorder, ProviderAnswerRecorder, Sendable {
    private let calls = Mutex<[ProviderCall]>([])
    private let answers = Mutex<[ProviderAnswer]>([])

    func record(_ call: ProviderCall) {
        calls.withLock { $0.append(call) }
    }

    func drain() -> [ProviderCall] {
        calls.withLock { calls in
            let taken = calls
            calls = []
            return taken
        }
    }

    func recordAnswer(_ answer: ProviderAnswer) {
        answers.withLock { $0.append(answer) }
    }

    func drainAnswers() -> [ProviderAnswer] {
        answers.withLock { answers in
            let taken = answers
            answers = []
            return taken
        }
    }
}
