import Model

/// Writes an `EmailMessage` as an RFC 5322 message with a MIME text/plain UTF-8 body: CRLF line
/// ends, `Date`, `Message-ID`, encoded words (RFC 2047) for non-ASCII headers, and base64 for a
/// body that is not short-lined ASCII. CR and LF are removed from header values, so no caller
/// text can add a header.
enum MailComposer {
    static func compose(_ email: EmailMessage, messageID: String, unixSeconds: Int64) -> [UInt8] {
        var head = ""
        head += "Date: \(date(unixSeconds))\r\n"
        head += "From: \(mailbox(email.from))\r\n"
        head += "To: \(email.to.map(mailbox).joined(separator: ", "))\r\n"
        if let replyTo = email.replyTo { head += "Reply-To: \(mailbox(replyTo))\r\n" }
        head += "Subject: \(encodedWords(singleLine(email.subject)))\r\n"
        head += "Message-ID: \(messageID)\r\n"
        head += "MIME-Version: 1.0\r\n"
        head += "Content-Type: text/plain; charset=UTF-8\r\n"
        let lines = normalizedLines(email.text)
        let isPlain = lines.allSatisfy { line in line.utf8.count <= 998 && line.utf8.allSatisfy { $0 < 0x80 } }
        var message = Array(head.utf8)
        if isPlain {
            message += Array("Content-Transfer-Encoding: 7bit\r\n\r\n".utf8)
            message += Array(lines.joined(separator: "\r\n").utf8)
        } else {
            message += Array("Content-Transfer-Encoding: base64\r\n\r\n".utf8)
            let encoded = Array(Base64.encode(Array(lines.joined(separator: "\r\n").utf8)).utf8)
            var index = 0
            while index < encoded.count {
                if index > 0 { message += [0x0D, 0x0A] }
                message += encoded[index..<min(index + 76, encoded.count)]
                index += 76
            }
        }
        message += [0x0D, 0x0A]
        return message
    }

    /// `Sat, 22 Nov 2026 09:05:00 +0000` (RFC 5322 §3.3).
    static func date(_ unixSeconds: Int64) -> String {
        let civil = Timestamp.civil(unixSeconds: unixSeconds)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(days[civil.weekday]), \(two(civil.day)) \(months[civil.month - 1]) \(civil.year) "
            + "\(two(civil.hour)):\(two(civil.minute)):\(two(civil.second)) +0000"
    }

    static func mailbox(_ address: EmailAddress) -> String {
        let bare = singleLine(address.address).filter { $0 != "<" && $0 != ">" && $0 != "," }
        guard let name = address.name.map(singleLine), !name.isEmpty else { return "<\(bare)>" }
        if name.utf8.allSatisfy({ $0 < 0x80 }) {
            let escaped = name.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
            return "\"\(escaped)\" <\(bare)>"
        }
        return "\(encodedWords(name)) <\(bare)>"
    }

    /// ASCII text as is; anything else as `=?UTF-8?B?…?=` words of at most 45 bytes each (75
    /// characters encoded), folded onto continuation lines. Words never split a character.
    static func encodedWords(_ text: String) -> String {
        guard !text.utf8.allSatisfy({ $0 < 0x80 }) else { return text }
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?\(Base64.encode(chunk))?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Base64.encode(chunk))?=") }
        return words.joined(separator: "\r\n ")
    }

    static func singleLine(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0 != "\r" && $0 != "\n" }.map(Character.init))
    }

    private static func normalizedLines(_ text: String) -> [Substring] {
        text.replacing("\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
    }
}
