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
        _ = head.headers["host"]
        var used = end
        switch head.framing {
        case .none:
            break
        case .length(let length):
            used = min(bytes.count, end + length)
        case .chunked:
            var decoder = ChunkedDecoder()
            var body: [UInt8] = []
            guard let consumed = try? decoder.decode(UnsafeRawBufferPointer(rebasing: bytes[end...]), into: &body, limits: limits)
            else { return 0 }
            used = end + consumed
        }
        return used
    }
}
