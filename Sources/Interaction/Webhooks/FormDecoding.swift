import HTTP

/// `application/x-www-form-urlencoded` bodies (Twilio's webhooks).
public enum FormDecoding {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The name/value pairs in order, repeats kept.
    public static func decode(_ body: [UInt8]) throws(Failure) -> [(String, String)] {
        guard !body.isEmpty else { return [] }
        var pairs: [(String, String)] = []
        for part in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let text = String(decoding: part, as: UTF8.self)
            let pieces = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentDecoding.decode(pieces[0], plusAsSpace: true),
                  let value = PercentDecoding.decode(pieces.count > 1 ? pieces[1] : "", plusAsSpace: true)
            else { throw Failure(description: "the form body has an invalid percent-escape near '\(text.prefix(40))'") }
            pairs.append((name, value))
        }
        return pairs
    }
}
