import Synchronization

/// Caps how many executions each tenant runs at once, so one tenant's flood waits its turn
/// instead of taking every worker; waiters are admitted in arrival order. It also counts each
/// tenant's backlog: executions announced (started, not yet at the gate) or waiting in it.
final class TenantGate: Sendable {
    private struct Entry {
        var running = 0
        var announced = 0
        var waiting: [CheckedContinuation<Void, Never>] = []

        var isIdle: Bool { running == 0 && announced == 0 && waiting.isEmpty }
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// Counts an execution that will `enter` (or `withdraw`) soon in the tenant's backlog.
    func announce(_ tenant: String) {
        entries.withLock { $0[tenant, default: Entry()].announced += 1 }
    }

    /// An announced execution that will not enter after all.
    func withdraw(_ tenant: String) {
        entries.withLock { entries in
            guard var entry = entries[tenant] else { return }
            entry.announced = max(0, entry.announced - 1)
            entries[tenant] = entry.isIdle ? nil : entry
        }
    }

    /// Executions of `tenant` announced or waiting for a slot.
    func backlog(_ tenant: String) -> Int {
        entries.withLock { $0[tenant].map { $0.announced + $0.waiting.count } ?? 0 }
    }

    /// Waits for one of the tenant's `limit` slots; an announced execution stops counting as
    /// announced here (while it waits it counts as waiting).
    func enter(_ tenant: String, limit: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let admitted = entries.withLock { entries -> Bool in
                var entry = entries[tenant] ?? Entry()
                defer { entries[tenant] = entry }
                entry.announced = max(0, entry.announced - 1)
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
            defer { entries[tenant] = entry.isIdle ? nil : entry }
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
