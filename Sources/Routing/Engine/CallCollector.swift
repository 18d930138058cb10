import Integration
import Model
import Synchronization

/// Collects the provider calls of one step for its trace record.
final class CallCollector: ProviderCallRecorder, Sendable {
    private let calls = Mutex<[ProviderCall]>([])

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
}
