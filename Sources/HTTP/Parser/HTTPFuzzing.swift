/// Drives the parser the way a connection does, for the fuzz target: bytes split at a point the
/// input chooses, pipelined requests parsed one after another, bodies decoded.
package enum HTTPFuzzing {
    package static func parseAll(_ input: UnsafeRawBufferPointer) {
        guard !input.isEmpty else { return }
        var limits = HTTPLimits()
        limits.maxBodyBytes = 64 * 1024
        // The first byte picks where the input is split in two reads.
        let split = min(Int(input[0]) * 7, input.count - 1)
        let data = UnsafeRawBufferPointer(rebasing: input[1...])
        var offset = 0
        var scanner = HeadScanner()
        while offset < data.count {
            let visible = offset < split ? min(split, data.count) : data.count
            let rest = UnsafeRawBufferPointer(rebasing: data[offset..<max(offset, visible)])
            let end: Int?
            do {
                end = try scanner.scan(rest, limits: limits)
            } catch {
                return
            }
            guard let end else {
                if visible == data.count { return }
                // Deliver the second read: the scanner resumes where it stopped.
                let full = UnsafeRawBufferPointer(rebasing: data[offset...])
                guard let later = try? scanner.scan(full, limits: limits) else { return }
                let used = consume(full, end: later, scanner: &scanner, limits: limits)
                guard used > 0 else { return }
                offset += used
                continue
            }
            let used = consume(UnsafeRawBufferPointer(rebasing: data[offset...]), end: end, scanner: &scanner, limits: limits)
            guard used > 0 else { return }
            offset += used
        }
    }

    /// Parses the head ending at `end` and decodes its body; returns the bytes used (0: stop).
    private static func consume(_ bytes: UnsafeRawBufferPointer, end: Int, scanner: inout HeadScanner, limits: HTTPLimits) -> Int {
        let start = scanner.headStart
        guard let lineEnd = scanner.requestLineEnd,
              let head = try? HeadParser.parse(UnsafeRawBufferPointer(rebasing: bytes[start..<end]),
                                               requestLineEnd: lineEnd - start, limits: limits)
        else { return 0 }
        scanner.reset()
        // What reaches handlers is clean: no field name or value can carry a line break or
        // another control character (a header smuggled through a bare CR, for one).
        for (name, value) in head.headers {
            precondition(!name.isEmpty && name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") },
                         "a parsed field name holds a separator or control byte")
            precondition(value.utf8.allSatisfy { ($0 >= 0x20 && $0 != 0x7F) || $0 == 0x09 },
                         "a parsed field value holds a control byte")
        }
        precondition(head.target.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }, "the parsed target holds a control byte or space")
        var used = end
        switch head.framing {
        case .none:
            break
        case .length(let length):
            used = min(bytes.count, end + length)
        case .chunked:
            // The framing the server reads must be the one the strict model reads: a proxy in
            // front that frames by RFC 9112 then sees the same requests.
            let rest = UnsafeRawBufferPointer(rebasing: bytes[end...])
            let outcome = decodeChunked(rest, readSize: max(1, rest.count), limits: limits)
            expectAgreement(StrictChunkedModel.decode(Array(rest), limits: limits), outcome)
            guard case .done(_, let consumed) = outcome else { return 0 }
            used = end + consumed
        }
        return used
    }
}

extension HTTPFuzzing {
    /// What decoding a chunked body came to.
    enum ChunkedOutcome: Equatable {
        case done(body: [UInt8], consumed: Int)
        case incomplete(body: [UInt8])
        case failed(String)
    }

    /// Checks the chunked decoder on `input` (its first byte sets a read size): fed in small
    /// reads it must reach exactly the outcome it reaches in one read, which `StrictChunkedModel`
    /// must reach too, and a body encoded in chunks whose sizes come from the input must decode
    /// to itself.
    package static func chunked(_ input: UnsafeRawBufferPointer) {
        guard let first = input.first else { return }
        var limits = HTTPLimits()
        limits.maxBodyBytes = 16 * 1024
        let data = UnsafeRawBufferPointer(rebasing: input[1...])

        let whole = decodeChunked(data, readSize: max(1, data.count), limits: limits)
        let pieces = decodeChunked(data, readSize: Int(first % 17) + 1, limits: limits)
        precondition(whole == pieces, "chunked decoding depends on how the bytes arrive: \(whole) vs \(pieces)")

        // The strict model, read line by line, agrees on what is accepted and what is refused.
        expectAgreement(StrictChunkedModel.decode(Array(data), limits: limits), whole)

        let payload = Array(data.prefix(limits.maxBodyBytes))
        let encoded = encodeChunked(payload, sizesFrom: first)
        let decoded = encoded.withUnsafeBytes { decodeChunked($0, readSize: Int(first % 7) + 1, limits: limits) }
        precondition(decoded == .done(body: payload, consumed: encoded.count), "an encoded body did not decode to itself: \(decoded)")
    }

    /// Traps unless the decoder reached what the strict model reached: the same body ending at
    /// the same byte, or both refusing, or both waiting for more.
    static func expectAgreement(_ model: ChunkedOutcome, _ decoder: ChunkedOutcome) {
        switch (model, decoder) {
        case (.done(let body, let consumed), .done(let decoded, let used)):
            precondition(body == decoded && consumed == used, "the decoder and the strict model read a body differently")
        case (.failed, .failed), (.incomplete, .incomplete), (.incomplete, .failed):
            // A line still arriving may already hold a byte the decoder refuses; the model waits for its end.
            break
        case (let model, let decoder):
            preconditionFailure("the decoder and the strict model disagree on the framing: model \(model), decoder \(decoder)")
        }
    }

    static func decodeChunked(_ data: UnsafeRawBufferPointer, readSize: Int, limits: HTTPLimits) -> ChunkedOutcome {
        var decoder = ChunkedDecoder()
        var body: [UInt8] = []
        var offset = 0
        while offset < data.count {
            let read = UnsafeRawBufferPointer(rebasing: data[offset..<min(data.count, offset + readSize)])
            do {
                let used = try decoder.decode(read, into: &body, limits: limits)
                offset += used
                if decoder.isDone { return .done(body: body, consumed: offset) }
                precondition(used == read.count, "the decoder left bytes unread before the body ended")
            } catch {
                return .failed(String(describing: error))
            }
        }
        return .incomplete(body: body)
    }

    /// `payload` as chunks of 1...64 bytes (sizes and hex case picked from `seed` and the payload),
    /// with an extension on some size lines and a trailer field.
    static func encodeChunked(_ payload: [UInt8], sizesFrom seed: UInt8) -> [UInt8] {
        var out: [UInt8] = []
        var offset = 0
        var state = UInt32(seed) | 1
        while offset < payload.count {
            state = state &* 1_103_515_245 &+ 12_345
            let size = min(payload.count - offset, Int((state >> 16) % 64) + 1)
            var hex = String(size, radix: 16)
            if state & 0x100 != 0 { hex = hex.uppercased() }
            out += Array(hex.utf8)
            if state & 0x200 != 0 { out += Array(";name=\"value\"".utf8) }
            out += [13, 10]
            out += payload[offset..<(offset + size)]
            out += [13, 10]
            offset += size
        }
        out += Array("0\r\n".utf8)
        if seed & 1 != 0 { out += Array("X-Checksum: abc\r\n".utf8) }
        out += [13, 10]
        return out
    }
}
