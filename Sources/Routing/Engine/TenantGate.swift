import Synchronization

/// Caps how many executions each tenant runs at once, so one tenant's flood waits its turn
/// instead of taking every worker; waiters are admitted in arrival order.
final class TenantGate: Sendable {
    private struct Entry {
        var running = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let entries = Mutex<[String: Entry]>([:])

    func enter(_ tenant: String, limit: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let admitted = entries.withLock { entries -> Bool in
                var entry = entries[tenant] ?? Entry()
                defer { entries[tenant] = entry }
                if entry.running < max(1, limit) {
                    entry.running += 1
                    return true
                }
                entry.waiting.append(continuation)
                return false
            }
            if admitted { continuation.resume() }
        }
    }

    func leave(_ tenant: String) {
        let next = entries.withLock { entries -> CheckedContinuation<Void, Never>? in
            guard var entry = entries[tenant] else { return nil }
            defer { entries[tenant] = entry.running == 0 && entry.waiting.isEmpty ? nil : entry }
            if entry.waiting.isEmpty {
                entry.running -= 1
                return nil
            }
            return entry.waiting.removeFirst()  // the slot passes straight to the next waiter
        }
        next?.resume()
    }

    /// Executions waiting for a slot, across tenants.
    var waitingCount: Int { entries.withLock { $0.values.reduce(0) { $0 + $1.waiting.count } } }
}
