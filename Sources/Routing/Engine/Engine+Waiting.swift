import Model
import Storage
import Synchronization

/// Waiting for outcomes (`Prefer: wait=N`): callers wait for an interaction to end or park, and
/// the execution that gets it there wakes them.
extension Engine {
    final class Waiter: Sendable {
        private let state = Mutex<(continuation: CheckedContinuation<InteractionRecord?, Never>?, timer: Task<Void, Never>?)>((nil, nil))

        init(_ continuation: CheckedContinuation<InteractionRecord?, Never>) {
            state.withLock { $0.continuation = continuation }
        }

        func setTimer(_ timer: Task<Void, Never>) {
            state.withLock { $0.timer = timer }
        }

        /// Resumes the waiting caller once; later calls do nothing.
        func resume(_ record: InteractionRecord?) {
            let (continuation, timer) = state.withLock { state in
                defer { state = (nil, nil) }
                return (state.continuation, state.timer)
            }
            timer?.cancel()
            continuation?.resume(returning: record)
        }
    }

    /// The interaction once it ends or waits, or nil if that takes longer than `seconds`.
    public func outcome(tenant: String, id: InteractionID, waitingUpTo seconds: Double) async -> InteractionRecord? {
        let key = Self.key(tenant, id)
        return await withCheckedContinuation { continuation in
            let waiter = Waiter(continuation)
            waiters.withLock { $0[key, default: []].append(waiter) }
            waiter.setTimer(Task {
                // It may have stopped before the waiter was registered.
                if let record = try? await core.store.interaction(tenant: tenant, id: id),
                   !running.withLock({ $0.contains(key) }), record.status != .accepted, record.status != .running {
                    removeWaiter(waiter, key: key)
                    waiter.resume(record)
                    return
                }
                try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1e9))
                guard !Task.isCancelled else { return }
                removeWaiter(waiter, key: key)
                waiter.resume(nil)
            })
        }
    }

    private func removeWaiter(_ waiter: Waiter, key: String) {
        waiters.withLock { waiters in
            waiters[key]?.removeAll { $0 === waiter }
            if waiters[key]?.isEmpty == true { waiters[key] = nil }
        }
    }

    func notifyWaiters(_ record: InteractionRecord) {
        guard record.status != .running, record.status != .accepted else { return }
        let found = waiters.withLock { $0.removeValue(forKey: Self.key(record.tenant, record.id)) } ?? []
        for waiter in found { waiter.resume(record) }
    }
}
