/// A second reading of chunked framing (RFC 9112 §7.1), written line by line on a whole buffer
/// rather than byte by byte, for the fuzz target to check `ChunkedDecoder` against: both must
/// accept and refuse the same framings and agree on the body and where it ends. It applies the
/// decoder's limits (8 size digits, 4 KiB of extensions, the trailer section's bytes and fields).
enum StrictChunkedModel {
    static func decode(_ data: [UInt8], limits: HTTPLimits) -> HTTPFuzzing.ChunkedOutcome {
        var i = 0
        var body: [UInt8] = []
        var extensionBytes = 0
        while true {
            guard let line = nextLine(data, from: i) else { return .incomplete(body: body) }
            guard let content = line.content else { return .failed("a line does not end in CRLF") }
            i = line.next
            let digits = content.prefix { hexValue($0) != nil }
            guard (1...8).contains(digits.count) else { return .failed("chunk size") }
            let size = digits.reduce(0) { $0 << 4 | hexValue($1)! }
            guard body.count + size <= limits.maxBodyBytes else { return .failed("too large") }
            let extensions = content.dropFirst(digits.count)
            extensionBytes += extensions.count
            guard extensionBytes <= ChunkedDecoder.maxExtensionBytes, validExtensions(extensions) else { return .failed("extensions") }
            if size == 0 { return trailers(data, from: i, body: body, limits: limits) }
            guard i + size + 2 <= data.count else { return .incomplete(body: body) }
            body += data[i..<(i + size)]
            guard data[i + size] == 0x0D, data[i + size + 1] == 0x0A else { return .failed("no CRLF after the data") }
            i += size + 2
        }
    }

    /// The line starting at `start`: its bytes before CRLF (nil when it ends in a bare LF or holds
    /// a CR), and where the next one starts; nil when no LF has arrived yet.
    private static func nextLine(_ data: [UInt8], from start: Int) -> (content: ArraySlice<UInt8>?, next: Int)? {
        guard let lf = data[start...].firstIndex(of: 0x0A) else { return nil }
        let line = data[start..<lf]
        guard line.last == 0x0D, !line.dropLast().contains(0x0D) else { return (nil, lf + 1) }
        return (line.dropLast(), lf + 1)
    }

    private static func trailers(_ data: [UInt8], from start: Int, body: [UInt8], limits: HTTPLimits) -> HTTPFuzzing.ChunkedOutcome {
        var i = start
        var bytes = 0
        var fields = 0
        while true {
            guard let line = nextLine(data, from: i) else { return .incomplete(body: body) }
            guard let content = line.content else { return .failed("a trailer line does not end in CRLF") }
            i = line.next
            if content.isEmpty { return .done(body: body, consumed: i) }
            fields += 1
            bytes += content.count
            guard fields <= limits.maxHeaderCount, bytes <= limits.maxHeaderBytes else { return .failed("trailers too large") }
            let name = content.prefix { ChunkedDecoder.isTokenCharacter($0) }
            guard !name.isEmpty, content.dropFirst(name.count).first == UInt8(ascii: ":") else { return .failed("trailer name") }
            let value = content.dropFirst(name.count + 1)
            guard value.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }) else { return .failed("trailer value") }
        }
    }

    /// `*( BWS ";" BWS token [ BWS "=" BWS ( token / quoted-string ) ] )`, exactly.
    private static func validExtensions(_ text: ArraySlice<UInt8>) -> Bool {
        var j = text.startIndex
        let end = text.endIndex
        func skipWhitespace() { while j < end, text[j] == 0x20 || text[j] == 0x09 { j += 1 } }
        func token() -> Bool {
            let from = j
            while j < end, ChunkedDecoder.isTokenCharacter(text[j]) { j += 1 }
            return j > from
        }
        while j < end {
            skipWhitespace()
            guard j < end, text[j] == UInt8(ascii: ";") else { return false }
            j += 1
            skipWhitespace()
            guard token() else { return false }
            let afterName = j
            skipWhitespace()
            guard j < end, text[j] == UInt8(ascii: "=") else {
                j = afterName
                continue
            }
            j += 1
            skipWhitespace()
            guard j < end else { return false }
            if text[j] == UInt8(ascii: "\"") {
                j += 1
                var closed = false
                while j < end, !closed {
                    let b = text[j]
                    if b == UInt8(ascii: "\\") {
                        guard j + 1 < end, text[j + 1] == 0x09 || (text[j + 1] >= 0x20 && text[j + 1] != 0x7F) else { return false }
                        j += 2
                    } else if b == UInt8(ascii: "\"") {
                        closed = true
                        j += 1
                    } else if b == 0x09 || (b >= 0x20 && b != 0x7F) {
                        j += 1
                    } else {
                        return false
                    }
                }
                guard closed else { return false }
            } else if !token() {
                return false
            }
        }
        return true
    }

    private static func hexValue(_ c: UInt8) -> Int? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(c - 48)
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(c - 87)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(c - 55)
        default: return nil
        }
    }
}
