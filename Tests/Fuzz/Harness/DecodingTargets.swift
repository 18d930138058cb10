import Interaction
import Model

/// Request bodies: JSON (the API) and forms (Twilio's webhooks).
enum DecodingTargets {
    /// Whatever parses serialises to JSON that parses again and serialises to the same bytes.
    static let json: FuzzTarget = { input in
        guard let value = try? JSONParser.parse(input) else { return }
        let once = value.serialized()
        guard let again = try? JSONParser.parse(once) else {
            preconditionFailure("serialised JSON does not parse: \(once.prefix(200))")
        }
        precondition(again.serialized() == once, "JSON serialisation is not stable: \(once.prefix(200))")
    }

    /// Whatever decodes, percent-encoded again, decodes to the same pairs in the same order.
    static let form: FuzzTarget = { input in
        guard let pairs = try? FormDecoding.decode(Array(input)) else { return }
        let encoded = pairs.map { percentEncoded($0.0) + "=" + percentEncoded($0.1) }.joined(separator: "&")
        guard let again = try? FormDecoding.decode(Array(encoded.utf8)) else {
            preconditionFailure("a re-encoded form does not decode: \(encoded.prefix(200))")
        }
        precondition(again.count == pairs.count && zip(again, pairs).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 },
                     "a form does not survive re-encoding: \(encoded.prefix(200))")
    }

    /// Every byte outside RFC 3986's unreserved set as `%XX`.
    static func percentEncoded(_ text: String) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count * 3)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
