/// A tenant's identifier: lowercase letters, digits and dashes, as in `acme-plumbing`.
public struct TenantID: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }

    public var description: String { rawValue }

    /// True when `text` is 2 to 63 characters of `a-z`, `0-9` and `-`, starting with a letter or
    /// digit: safe in URLs, file names, metric labels and log fields without escaping.
    public static func isValid(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard (2...63).contains(utf8.count), let first = utf8.first, first != UInt8(ascii: "-") else { return false }
        return utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: "-") }
    }

    public static func < (lhs: TenantID, rhs: TenantID) -> Bool { lhs.rawValue < rhs.rawValue }
}
