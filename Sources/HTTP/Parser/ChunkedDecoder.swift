/// Decodes a chunked request body (RFC 9112 §7.1) incrementally, appending the data to a body.
struct ChunkedDecoder {
    private enum State {
        case size(value: Int, digits: Int)
        case extensions(value: Int)
        case sizeLF(value: Int)
        case data(remaining: Int)
        case dataCR
        case dataLF
        case trailerLineStart
        case trailerLine
        case trailerLF(emptyLine: Bool)
        case done
    }

    private var state = State.size(value: 0, digits: 0)
    private var extensionBytes = 0
    private var trailerBytes = 0

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
                } else if b == UInt8(ascii: ";") || b == 0x20 || b == 0x09 {
                    state = .extensions(value: value)
                } else {
                    throw .badRequest("invalid character in chunk size")
                }
                i += 1
            case .extensions(let value):
                if b == 0x0D {
                    state = .sizeLF(value: value)
                } else if (b < 0x20 && b != 0x09) || b == 0x7F {
                    throw .badRequest("control character in a chunk extension")
                } else {
                    extensionBytes += 1
                    guard extensionBytes <= 4096 else { throw .badRequest("chunk extensions are too long") }
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
                } else if b == 0x20 || b == 0x09 {
                    throw .badRequest("obsolete line folding in the trailer section")
                } else {
                    state = .trailerLine
                    trailerBytes += 1
                }
                i += 1
            case .trailerLine:
                if b == 0x0D {
                    state = .trailerLF(emptyLine: false)
                } else if b == 0x0A || b == 0 {
                    throw .badRequest("invalid character in the trailer section")
                } else {
                    trailerBytes += 1
                    guard trailerBytes <= limits.maxHeaderBytes else { throw .headersTooLarge }
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

    private func hexValue(_ c: UInt8) -> Int? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(c - 48)
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(c - 87)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(c - 55)
        default: return nil
        }
    }
}
