import Glibc

/// Finds the end of a request head in bytes that arrive in pieces, without rescanning.
///
/// It enforces line endings (CRLF only: a bare LF or CR is an error, so two parsers can never
/// disagree about where a line ends) and the size limits, before the head is parsed.
struct HeadScanner {
    /// Where the head starts (after empty lines that RFC 9112 §2.2 lets a server skip).
    private(set) var headStart = 0
    /// Next byte to examine.
    private var offset = 0
    private var lineStart = 0
    /// Offset just past the request line's CRLF, once seen.
    private(set) var requestLineEnd: Int?

    var hasPartialHead: Bool { offset > 0 }

    mutating func reset() { self = HeadScanner() }

    /// Scans newly arrived bytes. Returns the offset just past the blank line that ends the head,
    /// or nil when more bytes are needed.
    mutating func scan(_ buffer: UnsafeRawBufferPointer, limits: HTTPLimits) throws(HTTPParseError) -> Int? {
        let count = buffer.count
        guard let base = buffer.baseAddress else { return nil }
        while offset < count {
            guard let found = memchr(base + offset, 0x0A, count - offset) else {
                offset = count
                break
            }
            let lf = base.distance(to: UnsafeRawPointer(found))
            guard lf > lineStart, buffer[lf - 1] == 0x0D else {
                throw .badRequest("a line ends in a bare LF; HTTP/1.1 lines end in CRLF")
            }
            let lineLength = lf - 1 - lineStart
            offset = lf + 1
            if requestLineEnd == nil {
                if lineLength == 0 {
                    // An empty line before the request line.
                    guard offset - headStart <= 8 else { throw .badRequest("too many empty lines before the request line") }
                    headStart = offset
                    lineStart = offset
                    continue
                }
                guard lf - headStart <= limits.maxRequestLine else { throw .uriTooLong }
                requestLineEnd = offset
            } else {
                if lf - (requestLineEnd ?? 0) > limits.maxHeaderBytes { throw .headersTooLarge }
                if lineLength == 0 { return offset }
            }
            lineStart = offset
        }
        // Not complete yet: check the limits on what is buffered.
        if let requestLineEnd {
            if count - requestLineEnd > limits.maxHeaderBytes { throw .headersTooLarge }
        } else if count - headStart > limits.maxRequestLine {
            throw .uriTooLong
        }
        return nil
    }
}
