import Model
import Synchronization

/// Tentative holds on slots chosen by executions that have not booked yet, so concurrent
/// executions of one tenant spread over free slots instead of all racing for the first one (the
/// calendar still has the last word: a taken slot is a `conflict`). Holds expire by themselves.
public final class SlotHolds: Sendable {
    private struct Hold {
        var owner: String
        var until: Int64
    }

    private let holds = Mutex<[String: Hold]>([:])
    private let seconds: Int64

    public init(seconds: Int64 = 60) {
        self.seconds = seconds
    }

    private static func key(_ tenant: String, _ start: Int64) -> String { "\(tenant)|\(start)" }

    /// Whether someone other than `owner` holds the slot starting at `start`.
    public func isHeld(tenant: String, start: Int64, by owner: String, now: Int64) -> Bool {
        holds.withLock { holds in
            guard let hold = holds[Self.key(tenant, start)], hold.until > now else { return false }
            return hold.owner != owner
        }
    }

    /// Holds the slot for `owner`; returns false when another owner got it first.
    public func hold(tenant: String, start: Int64, for owner: String, now: Int64) -> Bool {
        holds.withLock { holds in
            let key = Self.key(tenant, start)
            if let hold = holds[key], hold.until > now, hold.owner != owner { return false }
            if holds.count > 100_000 { holds = holds.filter { $0.value.until > now } }
            holds[key] = Hold(owner: owner, until: now + seconds)
            return true
        }
    }
}
