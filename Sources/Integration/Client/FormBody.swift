import Model

/// An `application/x-www-form-urlencoded` body with Stripe-style nesting: objects become
/// `name[key]`, arrays `name[0]`, so `metadata` `{booking_id: b1}` is sent as `metadata[booking_id]=b1`.
public struct FormBody: Sendable, Equatable {
    /// Field names (brackets included) and values, in order, not yet percent-encoded.
    public private(set) var fields: [Field] = []

    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String
    }

    public init() {}

    public mutating func append(_ name: String, _ value: String) {
        fields.append(Field(name: name, value: value))
    }

    public mutating func append(_ name: String, _ value: Int64) {
        append(name, String(value))
    }

    /// Appends `value` if it is not nil.
    public mutating func append(_ name: String, ifPresent value: String?) {
        if let value { append(name, value) }
    }

    /// Appends a string map as `name[key]=value`, keys sorted so equal maps encode equally.
    public mutating func append(_ name: String, map: [String: String]) {
        for key in map.keys.sorted() { append("\(name)[\(key)]", map[key]!) }
    }

    /// Appends any JSON value in bracket notation; null is skipped.
    public mutating func append(_ name: String, json: JSON) {
        switch json {
        case .null: return
        case .object(let object):
            for member in object { append("\(name)[\(member.key)]", json: member.value) }
        case .array(let array):
            for (index, element) in array.enumerated() { append("\(name)[\(index)]", json: element) }
        default:
            append(name, json.textValue)
        }
    }

    /// The encoded body: `name=value` pairs joined by `&`, with everything outside
    /// `A-Z a-z 0-9 - . _ *` percent-encoded and spaces as `+` (the WHATWG form serializer).
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(fields.count * 24)
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(UInt8(ascii: "&")) }
            FormBody.encode(field.name, into: &out)
            out.append(UInt8(ascii: "="))
            FormBody.encode(field.value, into: &out)
        }
        return out
    }

    public var encodedString: String { String(decoding: encoded(), as: UTF8.self) }

    static func encode(_ text: String, into out: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "*"):
                out.append(byte)
            case UInt8(ascii: " "):
                out.append(UInt8(ascii: "+"))
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hexUpper(byte >> 4))
                out.append(hexUpper(byte & 0xF))
            }
        }
    }

    /// Percent-encodes one path segment or query value (RFC 3986 unreserved kept).
    public static func percentEncode(_ text: String) -> String {
        var out: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"):
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hexUpper(byte >> 4))
                out.append(hexUpper(byte & 0xF))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexUpper(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10
    }
}
