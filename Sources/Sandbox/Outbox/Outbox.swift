import Model
import Synchronization

/// What the simulated providers "sent" (SMS, email, Slack posts) and the texts customers "sent"
/// in: the customer's phone and the operator's channel in a demo.
final class Outbox: Sendable {
    struct Entry: Sendable {
        var kind: String  // sms, email, slack
        var direction: String  // outbound, inbound
        var id: String
        var at: String
        var from: String
        var to: [String]
        var subject: String?
        var body: String
        var account: String?
        /// The message as received (email only).
        var raw: String? = nil

        var json: JSON {
            var object: JSONObject = ["kind": .string(kind), "direction": .string(direction), "id": .string(id), "at": .string(at),
                                      "from": .string(from), "to": .array(to.map { .string($0) }), "body": .string(body)]
            if let subject { object["subject"] = .string(subject) }
            if let raw { object["raw"] = .string(raw) }
            return .object(object)
        }
    }

    private static let capacity = 10_000
    private let entries = Mutex<[Entry]>([])

    func append(_ entry: Entry) {
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeFirst(entries.count - Self.capacity + 1) }
            entries.append(entry)
        }
    }

    /// Newest first, filtered by kind and by a recipient or sender.
    func list(kind: String? = nil, party: String? = nil, limit: Int = 100) -> [Entry] {
        entries.withLock { entries in
            Array(entries.reversed().lazy.filter { entry in
                (kind == nil || entry.kind == kind) && (party == nil || entry.from == party || entry.to.contains(party!))
            }.prefix(limit))
        }
    }

    func count(kind: String) -> Int { entries.withLock { $0.filter { $0.kind == kind }.count } }

    func clear() { entries.withLock { $0.removeAll() } }
}
