import Model

/// Stripe's objects and idempotency records, per account (secret key).
struct StripeStore: Sendable {
    struct Object: Sendable {
        var account: String
        var json: JSON
        var idempotencyKey: String?
    }

    /// What Stripe keeps of a keyed request: the parameters' fingerprint and the first answer.
    struct IdempotencyRecord: Sendable {
        var fingerprint: String
        var status: Int
        var body: [UInt8]
    }

    var objects: [String: Object] = [:]
    var order: [String] = []
    var records: [String: IdempotencyRecord] = [:]
    var refundedByIntent: [String: Int64] = [:]

    mutating func insert(_ json: JSON, account: String, key: String?) {
        guard let id = json["id"]?.stringValue else { return }
        if objects[id] == nil { order.append(id) }
        objects[id] = Object(account: account, json: json, idempotencyKey: key)
    }

    func object(_ id: String, account: String, type: String) -> JSON? {
        guard let object = objects[id], object.account == account, object.json["object"]?.stringValue == type else { return nil }
        return object.json
    }

    mutating func update(_ id: String, _ change: (inout JSON) -> Void) {
        guard var object = objects[id] else { return }
        change(&object.json)
        objects[id] = object
    }

    static func recordKey(account: String, key: String) -> String { "\(account)\u{0}\(key)" }

    /// Counts per object type, objects per idempotency key, and every object in creation order.
    var summary: JSON {
        var counts: [String: Int64] = [:]
        var byKey: [String: Int64] = [:]
        var all: [JSON] = []
        for id in order {
            guard let object = objects[id] else { continue }
            counts[object.json["object"]?.stringValue ?? "unknown", default: 0] += 1
            if let key = object.idempotencyKey { byKey[key, default: 0] += 1 }
            all.append(["id": .string(id), "object": object.json["object"] ?? .null, "status": object.json["status"] ?? .null,
                        "amount": object.json["amount"] ?? object.json["amount_total"] ?? .null,
                        "metadata": object.json["metadata"] ?? .null,
                        "idempotency_key": object.idempotencyKey.map { .string($0) } ?? .null])
        }
        return ["counts": .object(JSONObject(counts.sorted { $0.key < $1.key }.map { (key: $0.key, value: JSON.int($0.value)) })),
                "by_idempotency_key": .object(JSONObject(byKey.sorted { $0.key < $1.key }.map { (key: $0.key, value: JSON.int($0.value)) })),
                "objects": .array(all)]
    }
}
