/// Phone numbers in E.164 form (`+` and 8 to 15 digits).
public enum PhoneNumber {
    public static func isE164(_ text: String) -> Bool {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 9, utf8.count <= 16, utf8[0] == UInt8(ascii: "+"), utf8[1] != UInt8(ascii: "0") else { return false }
        return utf8.dropFirst().allSatisfy { $0 >= 48 && $0 <= 57 }
    }
}

/// Email addresses as far as a request can be checked without sending: one `@`, a dotted domain,
/// no spaces, angle brackets or control characters.
public enum EmailAddressCheck {
    public static func isPlausible(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix(".")
        else { return false }
        return !text.contains(where: { $0 == " " || $0 == "<" || $0 == ">" || $0.asciiValue.map { $0 < 0x20 } ?? false })
    }
}
