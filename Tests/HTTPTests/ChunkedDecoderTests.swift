import Testing
@testable import HTTP

private func decode(_ text: String, limits: HTTPLimits = HTTPLimits(), pieceSize: Int? = nil) throws(HTTPParseError) -> (body: String, consumed: Int, done: Bool) {
    let bytes = Array(text.utf8)
    var decoder = ChunkedDecoder()
    var body: [UInt8] = []
    var offset = 0
    let step = pieceSize ?? bytes.count
    while offset < bytes.count && !decoder.isDone {
        let end = min(bytes.count, offset + step)
        let result = bytes.withUnsafeBytes { buffer -> Result<Int, HTTPParseError> in
            Result { () throws(HTTPParseError) in
                try decoder.decode(UnsafeRawBufferPointer(rebasing: buffer[offset..<end]), into: &body, limits: limits)
            }
        }
        offset += try result.get()
    }
    return (String(decoding: body, as: UTF8.self), offset, decoder.isDone)
}

struct ChunkedDecoderTests {
    @Test func decode_chunksWithExtensionsAndTrailers() throws {
        let result = try decode("5\r\nhello\r\n6;name=value\r\n world\r\nA\r\n0123456789\r\n0\r\nX-Trailer: yes\r\n\r\n")
        #expect(result.body == "hello world0123456789")
        #expect(result.done)
    }

    @Test func decode_byteByByte_givesTheSameBody() throws {
        let result = try decode("3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", pieceSize: 1)
        #expect(result.body == "abcde")
        #expect(result.done)
    }

    @Test func decode_stopsAtEndOfBody_leavingPipelinedBytes() throws {
        let text = "1\r\na\r\n0\r\n\r\nGET / HTTP/1.1\r\n"
        let result = try decode(text)
        #expect(result.done)
        #expect(result.consumed == text.utf8.count - "GET / HTTP/1.1\r\n".utf8.count)
    }

    @Test(arguments: ["zz\r\n", "\r\n", "-1\r\n", "1x\r\na\r\n", "123456789\r\n", "1\na\r\n0\r\n\r\n"])
    func reject_invalidChunkSize(_ text: String) {
        #expect(throws: HTTPParseError.self) { try decode(text) }
    }

    @Test func reject_missingCRLFAfterData() {
        #expect(throws: HTTPParseError.self) { try decode("3\r\nabcX\r\n0\r\n\r\n") }
    }

    @Test func reject_bodyOverLimit_is413() {
        var limits = HTTPLimits()
        limits.maxBodyBytes = 10
        do {
            _ = try decode("8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n", limits: limits)
            Issue.record("expected a 413")
        } catch {
            #expect(error.status == .contentTooLarge)
        }
    }

    @Test func reject_controlCharacterInExtension() {
        #expect(throws: HTTPParseError.self) { try decode("1;\u{1}\r\na\r\n0\r\n\r\n") }
    }

    // RFC 9112 §7.1: chunk-size = 1*HEXDIG, chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS value ] ),
    // then CRLF. Each case is checked against the strict model too.
    @Test(arguments: [
        "5;name\r\nhello\r\n0\r\n\r\n",
        "5 ; name = value\r\nhello\r\n0\r\n\r\n",
        "5\t;a=b;c;d=\"x y\"\r\nhello\r\n0\r\n\r\n",
        "5;q=\"a \\\" b\"\r\nhello\r\n0\r\n\r\n",
        "5;a=b ;c\r\nhello\r\n0\r\n\r\n",
        "005\r\nhello\r\n0\r\nX-Sum: 1\r\nY:\r\n\r\n",
    ])
    func accept_strictFraming(_ text: String) throws {
        let result = try decode(text)
        #expect(result.body == "hello")
        #expect(result.done)
        #expect(StrictChunkedModel.decode(Array(text.utf8), limits: HTTPLimits()) == .done(body: Array("hello".utf8), consumed: text.utf8.count))
    }

    @Test(arguments: [
        "5 5\r\nhello\r\n0\r\n\r\n",          // whitespace after the size without ";" (read as 5 by lenient parsers)
        "5 \r\nhello\r\n0\r\n\r\n",            // trailing whitespace
        "5;\r\nhello\r\n0\r\n\r\n",            // an extension without a name
        "5;a \r\nhello\r\n0\r\n\r\n",          // whitespace after a name, then nothing
        "5;a=\r\nhello\r\n0\r\n\r\n",          // no value after =
        "5;a=b c\r\nhello\r\n0\r\n\r\n",       // two values
        "5;a=\"b\r\nhello\r\n0\r\n\r\n",       // an unclosed quote
        "5;a=\"b\"c\r\nhello\r\n0\r\n\r\n",    // text after the quote
        "5;a(b)\r\nhello\r\n0\r\n\r\n",        // not a token
        "5\rx\nhello\r\n0\r\n\r\n",            // a bare CR
        "5\r\nhello\r\n0\r\nno colon\r\n\r\n",  // a trailer line without a colon
        "5\r\nhello\r\n0\r\n: value\r\n\r\n",   // a trailer without a name
        "5\r\nhello\r\n0\r\nX: a\u{1}\r\n\r\n", // a control character in a trailer
    ])
    func reject_looseFraming(_ text: String) {
        #expect(throws: HTTPParseError.self) { try decode(text) }
        if case .failed = StrictChunkedModel.decode(Array(text.utf8), limits: HTTPLimits()) {} else {
            Issue.record("the strict model accepted \(text.debugDescription)")
        }
    }

    @Test func limits_onExtensionsAndTrailerFields() {
        let extensions = "1;" + Array(repeating: "a", count: ChunkedDecoder.maxExtensionBytes).joined() + "\r\na\r\n0\r\n\r\n"
        #expect(throws: HTTPParseError.self) { try decode(extensions) }
        var limits = HTTPLimits()
        limits.maxHeaderCount = 3
        let trailers = "0\r\n" + (1...4).map { "T\($0): x\r\n" }.joined() + "\r\n"
        do {
            _ = try decode(trailers, limits: limits)
            Issue.record("expected 431")
        } catch {
            #expect(error.status == .headerFieldsTooLarge)
        }
        #expect(throws: Never.self) { _ = try decode("0\r\n" + (1...3).map { "T\($0): x\r\n" }.joined() + "\r\n", limits: limits) }
    }
}
