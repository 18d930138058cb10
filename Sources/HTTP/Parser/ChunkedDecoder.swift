/// Decodes a chunked request body (RFC 9112 §7.1) incrementally, appending the data to a body.
///
/// The framing is read strictly, so that no proxy in front can read it differently:
///
/// ```
/// chunk-size = 1*HEXDIG   (at most 8 digits)
/// chunk-ext  = *( BWS ";" BWS token [ BWS "=" BWS ( token / quoted-string ) ] )
/// size line  = chunk-size chunk-ext CRLF
/// trailer    = *( token ":" OWS field-value CRLF ) CRLF
/// ```
///
/// Anything else (`5 5`, whitespace without `;`, a bare LF, an extension without a name, a
/// trailer line without a colon) is a 400 and the connection is closed. Extensions may take
/// 4 KiB per body; trailers `maxHeaderBytes` and `maxHeaderCount` fields.
struct ChunkedDecoder {
    private enum State {
        case size(value: Int, digits: Int)
        /// Whitespace after the size or an extension: more, then `;`.
        case whitespace(value: Int)
        /// Right after a quoted value: `;`, whitespace or the line's end.
        case afterQuoted(value: Int)
        case extensionNameStart(value: Int)
        case extensionName(value: Int)
        /// Whitespace after a name: more, then `=` or `;`.
        case afterName(value: Int)
        case extensionValueStart(value: Int)
        case extensionToken(value: Int)
        case extensionQuoted(value: Int, escaped: Bool)
        case sizeLF(value: Int)
        case data(remaining: Int)
        case dataCR
        case dataLF
        case trailerLineStart
        case trailerName
        case trailerValue
        case trailerLF(emptyLine: Bool)
        case done
    }

    static let maxExtensionBytes = 4096

    private var state = State.size(value: 0, digits: 0)
    private var extensionBytes = 0
    private var trailerBytes = 0
    private var trailerFields = 0

    var isDone: Bool {
        if case .done = state { return true }
        return false
    }

    /// Consumes bytes and appends chunk data to `body`. Returns how many bytes were consumed;
    /// stops right after the body ends so pipelined bytes stay for the next request.
    mutating func decode(_ input: UnsafeRawBufferPointer, into body: inout [UInt8], limits: HTTPLimits) throws(HTTPParseError) -> Int {
        var i = 0
        while i < input.count {
            let b = input[i]
            switch state {
            case .size(let value, let digits):
                if let digit = hexValue(b) {
                    guard digits < 8 else { throw .badRequest("a chunk size has too many digits") }
                    let newValue = value << 4 | digit
                    guard body.count + newValue <= limits.maxBodyBytes else { throw .contentTooLarge(limit: limits.maxBodyBytes) }
                    state = .size(value: newValue, digits: digits + 1)
                } else if digits == 0 {
                    throw .badRequest("a chunk must start with its size in hexadecimal")
                } else if b == 0x0D {
                    state = .sizeLF(value: value)
                } else if b == UInt8(ascii: ";") {
                    try countExtension()
                    state = .extensionNameStart(value: value)
                } else if Self.isWhitespace(b) {
                    try countExtension()
                    state = .whitespace(value: value)
                } else {
                    throw .badRequest("invalid character after a chunk size: write the size in hexadecimal, then ; and an extension, then CRLF")
                }
                i += 1
            case .whitespace(let value):
                try countExtension()
                if b == UInt8(ascii: ";") {
                    state = .extensionNameStart(value: value)
                } else if !Self.isWhitespace(b) {
                    throw .badRequest("whitespace in a chunk size line must be followed by ; and an extension")
                }
                i += 1
            case .afterQuoted(let value):
                if b == 0x0D {
                    state = .sizeLF(value: value)
                } else {
                    try countExtension()
                    if b == UInt8(ascii: ";") {
                        state = .extensionNameStart(value: value)
                    } else if Self.isWhitespace(b) {
                        state = .whitespace(value: value)
                    } else {
                        throw .badRequest("after a chunk extension's quoted value: ; or the end of the line")
                    }
                }
                i += 1
            case .extensionNameStart(let value):
                try countExtension()
                if Self.isTokenCharacter(b) {
                    state = .extensionName(value: value)
                } else if !Self.isWhitespace(b) {
                    throw .badRequest("a chunk extension needs a name after ;")
                }
                i += 1
            case .extensionName(let value):
                if b == 0x0D {
                    state = .sizeLF(value: value)
                } else {
                    try countExtension()
                    if b == UInt8(ascii: "=") {
                        state = .extensionValueStart(value: value)
                    } else if b == UInt8(ascii: ";") {
                        state = .extensionNameStart(value: value)
                    } else if Self.isWhitespace(b) {
                        state = .afterName(value: value)
                    } else if !Self.isTokenCharacter(b) {
                        throw .badRequest("invalid character in a chunk extension's name")
                    }
                }
                i += 1
            case .afterName(let value):
                try countExtension()
                if b == UInt8(ascii: "=") {
                    state = .extensionValueStart(value: value)
                } else if b == UInt8(ascii: ";") {
                    state = .extensionNameStart(value: value)
                } else if !Self.isWhitespace(b) {
                    throw .badRequest("whitespace after a chunk extension's name must be followed by = or ;")
                }
                i += 1
            case .extensionValueStart(let value):
                try countExtension()
                if b == UInt8(ascii: "\"") {
                    state = .extensionQuoted(value: value, escaped: false)
                } else if Self.isTokenCharacter(b) {
                    state = .extensionToken(value: value)
                } else if !Self.isWhitespace(b) {
                    throw .badRequest("a chunk extension's value must be a token or a quoted string")
                }
                i += 1
            case .extensionToken(let value):
                if b == 0x0D {
                    state = .sizeLF(value: value)
                } else {
                    try countExtension()
                    if b == UInt8(ascii: ";") {
                        state = .extensionNameStart(value: value)
                    } else if Self.isWhitespace(b) {
                        state = .whitespace(value: value)
                    } else if !Self.isTokenCharacter(b) {
                        throw .badRequest("invalid character in a chunk extension's value")
                    }
                }
                i += 1
            case .extensionQuoted(let value, let escaped):
                try countExtension()
                if escaped {
                    guard b == 0x09 || (b >= 0x20 && b != 0x7F) else { throw .badRequest("invalid escaped character in a chunk extension") }
                    state = .extensionQuoted(value: value, escaped: false)
                } else if b == UInt8(ascii: "\\") {
                    state = .extensionQuoted(value: value, escaped: true)
                } else if b == UInt8(ascii: "\"") {
                    state = .afterQuoted(value: value)
                } else if !(b == 0x09 || (b >= 0x20 && b != 0x7F)) {
                    throw .badRequest("control character in a chunk extension")
                }
                i += 1
            case .sizeLF(let value):
                guard b == 0x0A else { throw .badRequest("a chunk size line must end in CRLF") }
                state = value == 0 ? .trailerLineStart : .data(remaining: value)
                i += 1
            case .data(let remaining):
                let take = min(remaining, input.count - i)
                body.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[i..<(i + take)]))
                i += take
                state = remaining == take ? .dataCR : .data(remaining: remaining - take)
            case .dataCR:
                guard b == 0x0D else { throw .badRequest("chunk data must be followed by CRLF") }
                state = .dataLF
                i += 1
            case .dataLF:
                guard b == 0x0A else { throw .badRequest("chunk data must be followed by CRLF") }
                state = .size(value: 0, digits: 0)
                i += 1
            case .trailerLineStart:
                if b == 0x0D {
                    state = .trailerLF(emptyLine: true)
                } else if Self.isWhitespace(b) {
                    throw .badRequest("obsolete line folding in the trailer section")
                } else if Self.isTokenCharacter(b) {
                    trailerFields += 1
                    guard trailerFields <= limits.maxHeaderCount else { throw .headersTooLarge }
                    try countTrailer(limits)
                    state = .trailerName
                } else {
                    throw .badRequest("a trailer field must start with its name")
                }
                i += 1
            case .trailerName:
                try countTrailer(limits)
                if b == UInt8(ascii: ":") {
                    state = .trailerValue
                } else if !Self.isTokenCharacter(b) {
                    throw .badRequest("a trailer field needs a name, then a colon, then its value")
                }
                i += 1
            case .trailerValue:
                if b == 0x0D {
                    state = .trailerLF(emptyLine: false)
                } else if (b < 0x20 && b != 0x09) || b == 0x7F {
                    throw .badRequest("invalid character in the trailer section")
                } else {
                    try countTrailer(limits)
                }
                i += 1
            case .trailerLF(let emptyLine):
                guard b == 0x0A else { throw .badRequest("a trailer line must end in CRLF") }
                i += 1
                if emptyLine {
                    state = .done
                    return i
                }
                state = .trailerLineStart
            case .done:
                return i
            }
        }
        return i
    }

    private mutating func countExtension() throws(HTTPParseError) {
        extensionBytes += 1
        guard extensionBytes <= Self.maxExtensionBytes else { throw .badRequest("chunk extensions are too long") }
    }

    private mutating func countTrailer(_ limits: HTTPLimits) throws(HTTPParseError) {
        trailerBytes += 1
        guard trailerBytes <= limits.maxHeaderBytes else { throw .headersTooLarge }
    }

    static func isWhitespace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    /// tchar (RFC 9110 §5.6.2).
    static func isTokenCharacter(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): return true
        default: return "!#$%&'*+-.^_`|~".utf8.contains(b)
        }
    }

    private func hexValue(_ c: UInt8) -> Int? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(c - 48)
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(c - 87)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(c - 55)
        default: return nil
        }
    }
}
