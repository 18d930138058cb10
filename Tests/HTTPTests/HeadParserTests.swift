import Testing
@testable import HTTP

/// Scans and parses `text` as one request head the way a connection does.
private func parse(_ text: String, limits: HTTPLimits = HTTPLimits()) throws(HTTPParseError) -> RequestHead? {
    let bytes = Array(text.utf8)
    var scanner = HeadScanner()
    let result = bytes.withUnsafeBytes { buffer -> Result<RequestHead?, HTTPParseError> in
        Result { () throws(HTTPParseError) -> RequestHead? in
            guard let end = try scanner.scan(buffer, limits: limits) else { return nil }
            let start = scanner.headStart
            return try HeadParser.parse(UnsafeRawBufferPointer(rebasing: buffer[start..<end]),
                                        requestLineEnd: scanner.requestLineEnd! - start, limits: limits)
        }
    }
    return try result.get()
}

private func rejection(_ text: String, limits: HTTPLimits = HTTPLimits()) -> HTTPParseError? {
    do {
        _ = try parse(text, limits: limits)
        return nil
    } catch {
        return error
    }
}

struct HeadParserTests {
    @Test func parse_simpleGet_givesMethodTargetAndHeaders() throws {
        let head = try #require(try parse("GET /healthz?x=1 HTTP/1.1\r\nHost: example.com\r\nX-Thing:  spaced value \t\r\n\r\n"))
        #expect(head.method == .get)
        #expect(head.target == "/healthz?x=1")
        #expect(head.version == .http1_1)
        #expect(head.headers["host"] == "example.com")
        #expect(head.headers["X-THING"] == "spaced value")
        #expect(head.framing == .none)
        #expect(head.keepAlive)
    }

    @Test func parse_incompleteHead_asksForMore() throws {
        #expect(try parse("GET / HTTP/1.1\r\nHost: a\r\n") == nil)
    }

    @Test func parse_contentLength_framesBody() throws {
        let head = try #require(try parse("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 42\r\n\r\n"))
        #expect(head.framing == .length(42))
    }

    @Test func parse_identicalDuplicateContentLength_isAccepted() throws {
        let head = try #require(try parse("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 7\r\nContent-Length: 7, 7\r\n\r\n"))
        #expect(head.framing == .length(7))
    }

    @Test func parse_chunked_framesChunkedBody() throws {
        let head = try #require(try parse("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n"))
        #expect(head.framing == .chunked)
    }

    @Test func parse_connectionClose_disablesKeepAlive() throws {
        let head = try #require(try parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: foo, close\r\n\r\n"))
        #expect(!head.keepAlive)
    }

    @Test func parse_http10_closesUnlessKeepAliveAsked() throws {
        #expect(try parse("GET / HTTP/1.0\r\n\r\n")?.keepAlive == false)
        #expect(try parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")?.keepAlive == true)
    }

    @Test func parse_expectContinue_isRecognisedWhenABodyFollows() throws {
        #expect(try parse("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 3\r\n\r\n")?.expectsContinue == true)
        #expect(try parse("GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n")?.expectsContinue == false)
    }

    @Test func parse_absoluteForm_becomesOriginForm() throws {
        #expect(try parse("GET http://example.com/a/b?c HTTP/1.1\r\nHost: example.com\r\n\r\n")?.target == "/a/b?c")
        #expect(try parse("GET https://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n")?.target == "/")
    }

    @Test func parse_leadingEmptyLines_areSkipped() throws {
        #expect(try parse("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")?.method == .get)
    }

    // MARK: Rejections (RFC 9112): each is 400 and closes, except where the status says otherwise.

    @Test func reject_contentLengthWithTransferEncoding() {
        let error = rejection("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n")
        #expect(error?.status == .badRequest)
        #expect(error?.message.contains("both Content-Length and Transfer-Encoding") == true)
    }

    @Test func reject_transferEncodingBeforeContentLength() {
        #expect(rejection("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n")?.status == .badRequest)
    }

    @Test func reject_differingDuplicateContentLength() {
        let error = rejection("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n")
        #expect(error?.status == .badRequest)
        #expect(error?.message.contains("conflicting Content-Length") == true)
    }

    @Test func reject_differingContentLengthList() {
        #expect(rejection("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\n")?.status == .badRequest)
    }

    @Test(arguments: ["-1", "+5", "5a", "0x10", "", "99999999999999999999", "1 2"])
    func reject_invalidContentLength(_ value: String) {
        #expect(rejection("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \(value)\r\n\r\n")?.status == .badRequest)
    }

    @Test func reject_obsoleteLineFolding() {
        let error = rejection("GET / HTTP/1.1\r\nHost: a\r\nX-Long: first\r\n  continued\r\n\r\n")
        #expect(error?.status == .badRequest)
        #expect(error?.message.contains("obsolete line folding") == true)
    }

    @Test func reject_whitespaceBeforeColon() {
        let error = rejection("GET / HTTP/1.1\r\nHost : a\r\n\r\n")
        #expect(error?.status == .badRequest)
        #expect(error?.message.contains("whitespace between a header field name and the colon") == true)
    }

    /// A bare CR inside a value once ended the line there, so the rest was read as another
    /// header (`Set-Cookie` smuggled in through `X-Note`); it must be refused.
    @Test(arguments: ["X-Note: a\rSet-Cookie: b=c", "X-Note: a\r", "X-Note: \rX-Other: 1", "X\r-Note: a"])
    func reject_bareCarriageReturnInAField(_ field: String) {
        let error = rejection("GET / HTTP/1.1\r\nHost: a\r\n\(field)\r\n\r\n")
        #expect(error?.status == .badRequest)
    }

    @Test func reject_bareLineFeed() {
        #expect(rejection("GET / HTTP/1.1\nHost: a\n\n")?.status == .badRequest)
        #expect(rejection("GET / HTTP/1.1\r\nHost: a\n\r\n")?.status == .badRequest)
    }

    @Test func reject_bareCarriageReturnInValue() {
        #expect(rejection("GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n")?.status == .badRequest)
    }

    @Test func reject_nulInValue() {
        #expect(rejection("GET / HTTP/1.1\r\nHost: a\r\nX: a\u{0}b\r\n\r\n")?.status == .badRequest)
    }

    @Test func reject_missingOrDuplicateHost() {
        #expect(rejection("GET / HTTP/1.1\r\n\r\n")?.message.contains("Host") == true)
        #expect(rejection("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")?.status == .badRequest)
    }

    @Test(arguments: ["GET  / HTTP/1.1", "GET / HTTP/1.1 ", "GET /\tx HTTP/1.1", "GET / http/1.1", "GET /", "G@T / HTTP/1.1",
                      "GET relative HTTP/1.1", " GET / HTTP/1.1"])
    func reject_malformedRequestLine(_ line: String) {
        #expect(rejection("\(line)\r\nHost: a\r\n\r\n")?.status == .badRequest)
    }

    @Test func reject_unsupportedVersion() {
        #expect(rejection("GET / HTTP/2.0\r\nHost: a\r\n\r\n")?.status == .httpVersionNotSupported)
    }

    @Test func reject_transferCodingOtherThanChunked() {
        #expect(rejection("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")?.status == .notImplemented)
        #expect(rejection("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n")?.status == .badRequest)
        #expect(rejection("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n")?.status == .badRequest)
    }

    @Test func reject_transferEncodingInHTTP10() {
        #expect(rejection("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n")?.status == .badRequest)
    }

    @Test func reject_unknownExpectation() {
        #expect(rejection("POST / HTTP/1.1\r\nHost: a\r\nExpect: teapot\r\nContent-Length: 1\r\n\r\n")?.status == .expectationFailed)
    }

    @Test func reject_requestLineOverLimit_is414() {
        let long = "GET /" + String(repeating: "a", count: 8 * 1024) + " HTTP/1.1\r\nHost: a\r\n\r\n"
        #expect(rejection(long)?.status == .uriTooLong)
        // Also before the line is complete: no need to wait for the rest.
        #expect(rejection("GET /" + String(repeating: "a", count: 9 * 1024))?.status == .uriTooLong)
    }

    @Test func reject_headersOverLimit_is431() {
        let big = "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + String(repeating: "b", count: 17 * 1024) + "\r\n\r\n"
        #expect(rejection(big)?.status == .headerFieldsTooLarge)
        #expect(rejection("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + String(repeating: "b", count: 17 * 1024))?.status == .headerFieldsTooLarge)
    }

    @Test func reject_tooManyHeaderFields_is431() {
        var text = "GET / HTTP/1.1\r\nHost: a\r\n"
        for i in 0..<120 { text += "X-\(i): v\r\n" }
        #expect(rejection(text + "\r\n")?.status == .headerFieldsTooLarge)
    }

    @Test func reject_declaredBodyOverLimit_is413() {
        var limits = HTTPLimits()
        limits.maxBodyBytes = 100
        #expect(rejection("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 101\r\n\r\n", limits: limits)?.status == .contentTooLarge)
    }

    @Test func scanner_resumesWithoutRescanning_acrossPieces() throws {
        let text = Array("GET /a HTTP/1.1\r\nHost: a\r\nX: 1\r\n\r\n".utf8)
        var scanner = HeadScanner()
        var end: Int?
        for length in 1...text.count where end == nil {
            end = try text.withUnsafeBytes { buffer in
                try scanner.scan(UnsafeRawBufferPointer(rebasing: buffer[0..<length]), limits: HTTPLimits())
            }
            if end == nil { #expect(length < text.count) }
        }
        #expect(end == text.count)
    }
}
