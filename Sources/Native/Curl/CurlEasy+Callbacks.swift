internal import CCurl

// The callbacks libcurl calls on the driver thread while the transfer runs.
extension CurlEasy {
    func received(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        // > Your callback should return the number of bytes actually taken care of. If that amount
        // > differs from the amount passed to your callback function, it signals an error condition.
        guard responseBody.count + count <= maxResponseBytes else { return 0 }
        responseBody.append(contentsOf: UnsafeRawBufferPointer(start: data, count: count))
        return count
    }

    func receivedHeader(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        let line = UnsafeRawBufferPointer(start: data, count: count)
        // A new status line starts a new response (after 100 Continue or an informational answer).
        if count >= 5, line[0] == UInt8(ascii: "H"), line[1] == UInt8(ascii: "T"), line[2] == UInt8(ascii: "T"),
           line[3] == UInt8(ascii: "P"), line[4] == UInt8(ascii: "/") {
            responseHead.removeAll(keepingCapacity: true)
        }
        guard responseHead.count + count <= 64 * 1024 else { return 0 }
        responseHead.append(contentsOf: line)
        // Size the body once from Content-Length instead of growing it chunk by chunk.
        if count > 16, let length = Self.contentLength(line), length <= maxResponseBytes, length > responseBody.capacity {
            responseBody.reserveCapacity(length)
        }
        return count
    }

    /// The value of a `Content-Length:` header line, or nil for any other line.
    static func contentLength(_ line: UnsafeRawBufferPointer) -> Int? {
        let name = Array("content-length:".utf8)
        guard line.count > name.count else { return nil }
        for index in name.indices {
            let byte = line[index]
            let lowered = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            if lowered != name[index] { return nil }
        }
        var value = 0
        var sawDigit = false
        for byte in line[name.count...] {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = value &* 10 &+ Int(byte - 48)
                sawDigit = true
            case 0x20, 0x09, 0x0D, 0x0A: continue
            default: return nil
            }
        }
        return sawDigit ? value : nil
    }

    func send(into buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int {
        let count = min(capacity, bodyCount - readOffset)
        guard count > 0, let buffer, let base = bodyStorage.baseAddress else { return 0 }
        UnsafeMutableRawPointer(buffer).copyMemory(from: base + readOffset, byteCount: count)
        readOffset += count
        return count
    }
}
