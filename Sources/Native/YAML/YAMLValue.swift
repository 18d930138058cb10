/// A scalar resolved under the YAML 1.2 core schema.
///
/// Only plain scalars are typed by their text; quoted and block scalars are strings. So `yes`,
/// `no` and `on` stay strings (the YAML 1.1 "Norway problem" does not arise), `08:00` is a
/// string, and `"8"` is a string while `8` is a number.
public enum YAMLValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case float(Double)
    case string(String)

    static let stringTag = "tag:yaml.org,2002:str"
    static let intTag = "tag:yaml.org,2002:int"
    static let floatTag = "tag:yaml.org,2002:float"
    static let boolTag = "tag:yaml.org,2002:bool"
    static let nullTag = "tag:yaml.org,2002:null"

    static func resolve(_ scalar: YAMLScalar, tag: String?) -> YAMLValue {
        let text = scalar.text
        switch tag {
        case nil:
            guard scalar.isPlain else { return .string(text) }
            return resolvePlain(text)
        case stringTag?, "!"?:
            return .string(text)
        case intTag?:
            if let value = integer(text) { return .int(value) }
            return .string(text)
        case floatTag?:
            if let value = integer(text) { return .float(Double(value)) }
            if let value = float(text) { return .float(value) }
            return .string(text)
        case boolTag?:
            if let value = boolean(text) { return .bool(value) }
            return .string(text)
        case nullTag?:
            return .null
        default:
            return .string(text)
        }
    }

    static func resolvePlain(_ text: String) -> YAMLValue {
        guard let first = text.utf8.first else { return .null }
        switch first {
        case UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"):
            if text == "~" || text == "null" || text == "Null" || text == "NULL" { return .null }
        case UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"):
            if let value = boolean(text) { return .bool(value) }
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."):
            if let value = integer(text) { return .int(value) }
            if let value = float(text) { return .float(value) }
        default:
            break
        }
        return .string(text)
    }

    static func boolean(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    // Core schema: [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+
    static func integer(_ text: String) -> Int64? {
        if text.hasPrefix("0o") { return Int64(text.dropFirst(2), radix: 8) }
        if text.hasPrefix("0x") { return Int64(text.dropFirst(2), radix: 16) }
        var digits = Substring(text)
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int64(text.first == "+" ? String(text.dropFirst()) : text)
    }

    // Core schema: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? | [-+]?\.inf | \.nan
    static func float(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        var utf8 = Substring(text).utf8[...]
        if utf8.first == UInt8(ascii: "-") || utf8.first == UInt8(ascii: "+") { utf8 = utf8.dropFirst() }
        // mantissa: digits with at most one dot, at least one digit
        let mantissa = utf8.prefix { $0 != UInt8(ascii: "e") && $0 != UInt8(ascii: "E") }
        let digitCount = mantissa.count { $0 >= 48 && $0 <= 57 }
        guard digitCount > 0, mantissa.count - digitCount <= 1,
              mantissa.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: ".") })
        else { return nil }
        var exponent = utf8.dropFirst(mantissa.count)
        if !exponent.isEmpty {
            exponent = exponent.dropFirst()
            if exponent.first == UInt8(ascii: "-") || exponent.first == UInt8(ascii: "+") { exponent = exponent.dropFirst() }
            guard !exponent.isEmpty, exponent.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        }
        if let value = Double(text) { return value }
        // "1." and "1.e5" are core-schema floats that Swift's parser refuses.
        return Double(text.split(separator: ".", omittingEmptySubsequences: false).joined(separator: ".0"))
    }
}
