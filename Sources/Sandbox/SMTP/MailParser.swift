import Model

/// Reads what the outbox shows of a received message: headers (unfolded), the subject with
/// RFC 2047 words decoded, and the text body decoded from base64 when so encoded.
struct MailParser {
    let headers: [(name: String, value: String)]
    let body: String

    init(_ raw: String) {
        let normalized = raw.replacing("\r\n", with: "\n")
        let split = normalized.firstRange(of: "\n\n")
        let head = split.map { normalized[..<$0.lowerBound] } ?? Substring(normalized)
        body = split.map { String(normalized[$0.upperBound...]) } ?? ""
        var headers: [(name: String, value: String)] = []
        for line in head.split(separator: "\n", omittingEmptySubsequences: false) {
            if let first = line.first, first == " " || first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += " " + String(line).trimmingSpaces()
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingSpaces()))
            }
        }
        self.headers = headers
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var subject: String? { header("Subject").map(Self.decodeWords) }

    var text: String {
        guard header("Content-Transfer-Encoding")?.lowercased() == "base64" else { return body }
        let compact = body.filter { !$0.isWhitespace }
        return Base64.decode(compact).map { String(decoding: $0, as: UTF8.self) } ?? body
    }

    /// `=?UTF-8?B?…?=` words (and plain text between them) to text.
    static func decodeWords(_ value: String) -> String {
        var out = ""
        for word in value.split(separator: " ") {
            if word.hasPrefix("=?"), word.hasSuffix("?="), word.lowercased().hasPrefix("=?utf-8?b?"),
               let bytes = Base64.decode(word.dropFirst(10).dropLast(2)) {
                out += String(decoding: bytes, as: UTF8.self)
            } else {
                if !out.isEmpty { out += " " }
                out += word
            }
        }
        return out
    }
}
