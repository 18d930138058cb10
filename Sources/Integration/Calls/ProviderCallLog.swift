import Synchronization

/// A `ProviderCallRecorder` that keeps every call in memory, in order (tests, one execution).
public final class ProviderCallLog: ProviderCallRecorder {
    private let calls = Mutex<[ProviderCall]>([])

    public init() {}

    public func record(_ call: ProviderCall) {
        calls.withLock { $0.append(call) }
    }

    public var records: [ProviderCall] { calls.withLock { $0 } }
}
