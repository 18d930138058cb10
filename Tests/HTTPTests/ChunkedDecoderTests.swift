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
}
