/// A parsed and validated request head.
struct RequestHead: Sendable {
    enum Framing: Sendable, Equatable {
        case none
        case length(Int)
        case chunked
    }

    var method: HTTPMethod
    var target: String
    var version: HTTPVersion
    var headers: HTTPHeaders
    var framing: Framing
    var keepAlive: Bool
    var expectsContinue: Bool
}

/// Parses a complete head (request line and field lines, ending in the blank line) strictly per
/// RFC 9112: anything ambiguous is rejected rather than guessed at, so Switchboard and any proxy in
/// front of it cannot disagree about where one request ends and the next begins.
enum HeadParser {
    static func parse(_ bytes: UnsafeRawBufferPointer, requestLineEnd: Int, limits: HTTPLimits) throws(HTTPParseError) -> RequestHead {
        // Request line: method SP request-target SP HTTP-version CRLF.
        let lineEnd = requestLineEnd - 2
        var i = 0
        while i < lineEnd, isTokenChar(bytes[i]) { i += 1 }
        guard i > 0, i < lineEnd, bytes[i] == 0x20 else {
            throw .badRequest("the request line must be 'METHOD /path HTTP/1.1' with single spaces")
        }
        let method = HTTPMethod.parse(UnsafeRawBufferPointer(rebasing: bytes[0..<i]))
        let targetStart = i + 1
        var j = targetStart
        while j < lineEnd, bytes[j] != 0x20 {
            let b = bytes[j]
            guard b > 0x20, b < 0x7F else { throw .badRequest("the request target contains a control character, space or non-ASCII byte") }
            j += 1
        }
        guard j > targetStart, j < lineEnd else {
            throw .badRequest("the request line must be 'METHOD /path HTTP/1.1' with single spaces")
        }
        let version = try parseVersion(UnsafeRawBufferPointer(rebasing: bytes[(j + 1)..<lineEnd]))
        var target = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[targetStart..<j]), as: UTF8.self)
        target = try normaliseTarget(target, method: method)

        // Field lines. The head is copied once; fields are ranges into the copy.
        let storage = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[requestLineEnd..<bytes.count]))
        var fields: [HTTPHeaders.Field] = []
        fields.reserveCapacity(8)
        var contentLength: Int?
        var transferEncoding: [String] = []
        var hostCount = 0
        var keepAlive = version == .http1_1
        var expectsContinue = false

        let fieldsParsed = storage.withUnsafeBytes { (head: UnsafeRawBufferPointer) -> Result<Void, HTTPParseError> in
          Result { () throws(HTTPParseError) in
            var lineStart = 0
            let end = head.count - 2  // the final blank line's CRLF
            while lineStart < end {
                // Lines end at LF (the scanner guarantees the CR before it). Searching for the CR
                // instead would end a line at a bare CR inside a value and read what follows as
                // another header: `X-A: a<CR>Set-Cookie: b` must be refused, not split.
                var lineEnd = lineStart
                while head[lineEnd] != 0x0A { lineEnd += 1 }
                lineEnd -= 1
                let first = head[lineStart]
                if first == 0x20 || first == 0x09 {
                    throw .badRequest("obsolete line folding (a header line starting with whitespace) is not allowed")
                }
                var colon = lineStart
                while colon < lineEnd, head[colon] != UInt8(ascii: ":") { colon += 1 }
                guard colon < lineEnd else { throw .badRequest("a header line has no colon") }
                guard colon > lineStart else { throw .badRequest("a header line has an empty field name") }
                for k in lineStart..<colon where !isTokenChar(head[k]) {
                    if head[k] == 0x20 || head[k] == 0x09 {
                        throw .badRequest("whitespace between a header field name and the colon is not allowed")
                    }
                    throw .badRequest("a header field name contains an invalid character")
                }
                var valueStart = colon + 1
                var valueEnd = lineEnd
                while valueStart < valueEnd, head[valueStart] == 0x20 || head[valueStart] == 0x09 { valueStart += 1 }
                while valueEnd > valueStart, head[valueEnd - 1] == 0x20 || head[valueEnd - 1] == 0x09 { valueEnd -= 1 }
                for k in valueStart..<valueEnd {
                    let b = head[k]
                    if (b < 0x20 && b != 0x09) || b == 0x7F {
                        throw .badRequest("a header field value contains a control character")
                    }
                }
                guard fields.count < limits.maxHeaderCount else { throw .headersTooLarge }
                let field = HTTPHeaders.Field(nameStart: Int32(lineStart), nameEnd: Int32(colon),
                                              valueStart: Int32(valueStart), valueEnd: Int32(valueEnd))
                fields.append(field)

                let name = UnsafeRawBufferPointer(rebasing: head[lineStart..<colon])
                let value = UnsafeRawBufferPointer(rebasing: head[valueStart..<valueEnd])
                switch name.count {
                case 4 where equalsLower(name, "host"):
                    hostCount += 1
                case 6 where equalsLower(name, "expect"):
                    guard equalsLower(value, "100-continue") else {
                        throw HTTPParseError(status: .expectationFailed, code: "expectation_failed",
                                             message: "only 'Expect: 100-continue' is supported")
                    }
                    expectsContinue = version == .http1_1
                case 10 where equalsLower(name, "connection"):
                    forEachToken(value) { token in
                        if equalsLower(token, "close") { keepAlive = false }
                        else if equalsLower(token, "keep-alive"), version == .http1_0 { keepAlive = true }
                    }
                case 14 where equalsLower(name, "content-length"):
                    var failure: HTTPParseError?
                    forEachToken(value, allowEmpty: true) { token in
                        guard failure == nil else { return }
                        guard let length = parseDecimal(token) else {
                            failure = .badRequest("Content-Length must be a non-negative decimal number")
                            return
                        }
                        if let previous = contentLength, previous != length {
                            failure = .badRequest("conflicting Content-Length values")
                            return
                        }
                        contentLength = length
                    }
                    if let failure { throw failure }
                case 17 where equalsLower(name, "transfer-encoding"):
                    forEachToken(value, allowEmpty: true) { token in
                        transferEncoding.append(String(decoding: token, as: UTF8.self).lowercased())
                    }
                default:
                    break
                }
                lineStart = lineEnd + 2
            }
          }
        }
        try fieldsParsed.get()

        if version == .http1_1 {
            guard hostCount == 1 else {
                throw .badRequest(hostCount == 0 ? "an HTTP/1.1 request must have a Host header" : "more than one Host header")
            }
        } else if hostCount > 1 {
            throw .badRequest("more than one Host header")
        }

        var framing = RequestHead.Framing.none
        if !transferEncoding.isEmpty {
            guard contentLength == nil else {
                throw .badRequest("a request must not have both Content-Length and Transfer-Encoding")
            }
            guard version == .http1_1 else { throw .badRequest("Transfer-Encoding is not allowed in HTTP/1.0") }
            guard !transferEncoding.contains("") else { throw .badRequest("an empty transfer coding") }
            guard transferEncoding.last == "chunked" else {
                throw .badRequest("the final transfer coding of a request must be chunked")
            }
            if transferEncoding.count > 1 {
                if transferEncoding.filter({ $0 == "chunked" }).count > 1 {
                    throw .badRequest("chunked is applied more than once")
                }
                throw HTTPParseError(status: .notImplemented, code: "unsupported_transfer_coding",
                                     message: "transfer coding '\(transferEncoding[0])' is not supported")
            }
            framing = .chunked
        } else if let contentLength {
            guard contentLength <= limits.maxBodyBytes else { throw .contentTooLarge(limit: limits.maxBodyBytes) }
            framing = contentLength > 0 ? .length(contentLength) : .none
        }

        return RequestHead(method: method, target: target, version: version,
                           headers: HTTPHeaders(storage: storage, fields: fields),
                           framing: framing, keepAlive: keepAlive, expectsContinue: expectsContinue && framing != .none)
    }

    private static func parseVersion(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> HTTPVersion {
        // HTTP-version = "HTTP" "/" DIGIT "." DIGIT (case-sensitive).
        guard bytes.count == 8, bytes[0] == 0x48, bytes[1] == 0x54, bytes[2] == 0x54, bytes[3] == 0x50,
              bytes[4] == 0x2F, bytes[6] == 0x2E, isDigit(bytes[5]), isDigit(bytes[7])
        else { throw .badRequest("the request line must end in HTTP/1.1 or HTTP/1.0") }
        switch (bytes[5], bytes[7]) {
        case (0x31, 0x31): return .http1_1
        case (0x31, 0x30): return .http1_0
        default:
            throw HTTPParseError(status: .httpVersionNotSupported, code: "http_version_not_supported",
                                 message: "only HTTP/1.1 and HTTP/1.0 are supported")
        }
    }

    /// Accepts origin form (`/path?q`), asterisk form for OPTIONS, and absolute form
    /// (`http://host/path`, which RFC 9112 §3.2.2 says servers must accept), returning origin form.
    private static func normaliseTarget(_ target: String, method: HTTPMethod) throws(HTTPParseError) -> String {
        let first = target.utf8.first
        if first == UInt8(ascii: "/") { return target }
        if target == "*" && method == .options { return target }
        let lower = target.lowercased()
        for scheme in ["http://", "https://"] where lower.hasPrefix(scheme) {
            let rest = target.dropFirst(scheme.count)
            guard let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
            let path = String(rest[slash...])
            return path.hasPrefix("?") ? "/" + path : path
        }
        throw .badRequest("the request target must be an absolute path such as /healthz")
    }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// tchar (RFC 9110 §5.6.2).
    @inline(__always)
    static func isTokenChar(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: return true
        default: return false
        }
    }

    static func equalsLower(_ bytes: UnsafeRawBufferPointer, _ lower: StaticString) -> Bool {
        guard bytes.count == lower.utf8CodeUnitCount else { return false }
        let l = lower.utf8Start
        for i in 0..<bytes.count where asciiLower(bytes[i]) != l[i] { return false }
        return true
    }

    /// Splits a comma-separated list value into trimmed tokens.
    static func forEachToken(_ value: UnsafeRawBufferPointer, allowEmpty: Bool = false, _ body: (UnsafeRawBufferPointer) -> Void) {
        var start = 0
        var i = 0
        while i <= value.count {
            if i == value.count || value[i] == UInt8(ascii: ",") {
                var s = start
                var e = i
                while s < e, value[s] == 0x20 || value[s] == 0x09 { s += 1 }
                while e > s, value[e - 1] == 0x20 || value[e - 1] == 0x09 { e -= 1 }
                if e > s || allowEmpty { body(UnsafeRawBufferPointer(rebasing: value[s..<e])) }
                start = i + 1
            }
            i += 1
        }
    }

    /// 1*DIGIT without sign or overflow.
    static func parseDecimal(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value = 0
        for b in bytes {
            guard isDigit(b) else { return nil }
            value = value * 10 + Int(b - 0x30)
        }
        return value
    }
}
