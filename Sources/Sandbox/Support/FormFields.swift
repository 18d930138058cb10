import HTTP
import Model

/// A decoded `application/x-www-form-urlencoded` body: the fields in order, and the same fields
/// nested by their brackets (`metadata[booking_id]` → `{"metadata":{"booking_id":…}}`, `items[0]`
/// → an array), the way Stripe reads its parameters.
struct FormFields: Sendable {
    let pairs: [(name: String, value: String)]

    /// Nil when an escape is malformed.
    init?(_ body: [UInt8]) {
        var pairs: [(name: String, value: String)] = []
        for part in String(decoding: body, as: UTF8.self).split(separator: "&") where !part.isEmpty {
            let halves = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentDecoding.decode(halves[0], plusAsSpace: true),
                  let value = PercentDecoding.decode(halves.count > 1 ? halves[1] : "", plusAsSpace: true) else { return nil }
            pairs.append((name, value))
        }
        self.pairs = pairs
    }

    subscript(name: String) -> String? { pairs.first { $0.name == name }?.value }

    func values(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }

    /// The fields nested by brackets; values stay strings, as Stripe receives them.
    var nested: JSON {
        var root = JSON.object(JSONObject())
        for (name, value) in pairs {
            var path: [String] = []
            var rest = Substring(name)
            if let open = rest.firstIndex(of: "[") {
                path.append(String(rest[..<open]))
                rest = rest[open...]
                while rest.first == "[", let close = rest.firstIndex(of: "]") {
                    path.append(String(rest[rest.index(after: rest.startIndex)..<close]))
                    rest = rest[rest.index(after: close)...]
                }
            } else {
                path = [name]
            }
            FormFields.insert(.string(value), at: path[...], into: &root)
        }
        return FormFields.arraysFromIndexedObjects(root)
    }

    private static func insert(_ value: JSON, at path: ArraySlice<String>, into node: inout JSON) {
        guard let first = path.first else { return }
        var object = node.objectValue ?? JSONObject()
        if path.count == 1 {
            object[first] = value
        } else {
            var child = object[first] ?? .object(JSONObject())
            if child.objectValue == nil { child = .object(JSONObject()) }
            insert(value, at: path.dropFirst(), into: &child)
            object[first] = child
        }
        node = .object(object)
    }

    /// Objects whose keys are exactly 0, 1, 2, … become arrays.
    private static func arraysFromIndexedObjects(_ json: JSON) -> JSON {
        guard case .object(let object) = json else { return json }
        let converted = JSONObject(object.members.map { (key: $0.key, value: arraysFromIndexedObjects($0.value)) })
        let indices = converted.keys.compactMap { Int($0) }
        if !converted.isEmpty, indices.count == converted.count, Set(indices) == Set(0..<converted.count) {
            return .array((0..<converted.count).map { converted[String($0)]! })
        }
        return .object(converted)
    }

    /// A canonical text of the parameters, to compare two requests made with one idempotency key.
    var fingerprint: String {
        pairs.sorted { $0.name == $1.name ? $0.value < $1.value : $0.name < $1.name }
            .map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    /// `name=value&…` with everything outside `A-Z a-z 0-9 - . _ *` percent-encoded, spaces as `+`.
    static func encode(_ pairs: [(String, String)]) -> [UInt8] {
        var out: [UInt8] = []
        for (index, (name, value)) in pairs.enumerated() {
            if index > 0 { out.append(UInt8(ascii: "&")) }
            append(name, to: &out)
            out.append(UInt8(ascii: "="))
            append(value, to: &out)
        }
        return out
    }

    private static func append(_ text: String, to out: inout [UInt8]) {
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "*"):
                out.append(byte)
            case 0x20:
                out.append(UInt8(ascii: "+"))
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
    }
}
