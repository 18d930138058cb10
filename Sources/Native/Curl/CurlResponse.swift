/// What a finished transfer produced.
public struct CurlResponse: Sendable {
    /// The HTTP status, or the last SMTP reply code (250 when a message was accepted).
    public var status: Int
    /// The header lines of the final response exactly as received, status line first.
    public var head: [UInt8]
    public var body: [UInt8]
    /// Seconds from the start of the transfer to its end, as libcurl measured it.
    public var totalSeconds: Double
    /// New connections this transfer opened: 0 when it reused a kept-alive one.
    public var newConnections: Int

    public init(status: Int, head: [UInt8] = [], body: [UInt8] = [], totalSeconds: Double = 0, newConnections: Int = 0) {
        self.status = status
        self.head = head
        self.body = body
        self.totalSeconds = totalSeconds
        self.newConnections = newConnections
    }

    /// The header fields of the final response, in order.
    public var headers: [(name: String, value: String)] {
        var out: [(name: String, value: String)] = []
        forEachField { name, value in out.append((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))) }
        return out
    }

    /// The first value of the named header field (names compare case-insensitively).
    public func header(_ name: String) -> String? {
        let wanted = Array(name.utf8)
        var found: String?
        forEachField { fieldName, value in
            guard found == nil, fieldName.count == wanted.count else { return }
            for (a, b) in zip(fieldName, wanted) where a | 0x20 != b | 0x20 { return }
            found = String(decoding: value, as: UTF8.self)
        }
        return found
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    private func forEachField(_ body: (ArraySlice<UInt8>, ArraySlice<UInt8>) -> Void) {
        var lineStart = head.startIndex
        var isStatusLine = true
        while lineStart < head.endIndex {
            var lineEnd = head[lineStart...].firstIndex(of: 0x0A) ?? head.endIndex
            let next = lineEnd < head.endIndex ? lineEnd + 1 : lineEnd
            if lineEnd > lineStart, head[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            defer { lineStart = next }
            if isStatusLine { isStatusLine = false; continue }
            let line = head[lineStart..<lineEnd]
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            var valueStart = colon + 1
            var valueEnd = line.endIndex
            while valueStart < valueEnd, head[valueStart] == 0x20 || head[valueStart] == 0x09 { valueStart += 1 }
            while valueEnd > valueStart, head[valueEnd - 1] == 0x20 || head[valueEnd - 1] == 0x09 { valueEnd -= 1 }
            body(line[..<colon], head[valueStart..<valueEnd])
        }
    }
}
