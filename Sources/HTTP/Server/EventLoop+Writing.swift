import Model
import Native

extension EventLoop {
    /// Moves finished responses, in request order, from the slots to the outbound buffer.
    func flushSlots(_ connection: Connection) {
        var finishedAt: UInt64 = 0  // read once, and only for the access log
        while let first = connection.slots.first, let response = first.response {
            connection.slots.removeFirst()
            let isLast = connection.closeAfterResponses && connection.slots.isEmpty
            let keepAlive = first.keepAlive && !isLast
            ResponseWriter.write(response, isHead: first.isHead, keepAlive: keepAlive, version: first.version,
                                 date: dateHeader, requestID: first.requestID, into: &connection.outbound)
            metrics.record(route: first.route, status: response.status.code, elapsedNanos: now &- first.startedAt)
            if accessSampler != nil {
                if finishedAt == 0 { finishedAt = Clock.monotonicNanos() }
                logAccess(first, response, finishedAt: finishedAt)
            }
        }
        if connection.continuePending && connection.slots.isEmpty {
            connection.continuePending = false
            connection.outbound.append(contentsOf: ResponseWriter.continueLine)
        }
    }

    /// Sends as much of the outbound buffer as the socket takes.
    func flushOutbound(_ connection: Connection) {
        guard !connection.isClosed else { return }
        while connection.outboundSent < connection.outbound.count {
            let result: IOResult<Int>
            do {
                result = try connection.outbound.withUnsafeBytes { buffer in
                    try connection.socket.send(UnsafeRawBufferPointer(rebasing: buffer[connection.outboundSent...]))
                }
            } catch {
                close(connection)
                return
            }
            switch result {
            case .processed(let sent):
                connection.outboundSent += sent
                connection.deadline = now + UInt64(context.configuration.writeTimeoutSeconds * 1e9)
            case .wouldBlock:
                updateInterest(connection, read: connection.wantsRead, write: true)
                return
            }
        }
        // Everything sent.
        if connection.outbound.capacity > 16 * 1024 {
            connection.outbound = []
        } else {
            connection.outbound.removeAll(keepingCapacity: true)
        }
        connection.outboundSent = 0
        if connection.wantsWrite { updateInterest(connection, read: connection.wantsRead, write: false) }
        if connection.closeAfterResponses && connection.slots.isEmpty {
            finish(connection)
        }
    }

    /// Ends a connection whose last response is sent: shut the write side and linger briefly
    /// reading what the client still sends, so unread bytes do not turn into a reset that could
    /// destroy the response in flight.
    private func finish(_ connection: Connection) {
        if connection.peerClosed {
            close(connection)
            return
        }
        if case .lingering = connection.phase { return }
        connection.socket.shutdownWrite()
        connection.phase = .lingering
        connection.inbound = []
        connection.body = []
        connection.deadline = now + 2_000_000_000
        updateInterest(connection, read: true, write: false)
    }

    /// Answers `response` to a request that cannot be processed further, then closes.
    /// `head` is the request's when it was parsed, for its request id and the access log.
    func respondAndClose(_ connection: Connection, _ response: HTTPResponse, head: RequestHead? = nil) {
        connection.closeAfterResponses = true
        connection.phase = .head
        connection.inbound = []
        connection.body = []
        connection.slots.append(Connection.Slot(sequence: connection.nextSequence, response: response, isHead: false,
                                                keepAlive: false, version: .http1_1,
                                                route: context.metrics.unmatchedRoute, startedAt: now,
                                                method: head?.method, requestID: head.map(requestID(for:)) ?? mintRequestID(),
                                                tenant: nil))
        connection.nextSequence += 1
        flushSlots(connection)
        flushOutbound(connection)
    }

    /// After reading, writing or completing: send what is ready, serve requests that were read
    /// ahead while the connection was saturated, pause or resume reading, and set the deadline.
    func afterActivity(_ connection: Connection) {
        let configuration = context.configuration
        var saturated = false
        while true {
            flushOutbound(connection)
            if connection.isClosed { return }
            if case .lingering = connection.phase { return }
            saturated = connection.slots.count >= configuration.maxPipelined
                || connection.pendingOutboundBytes > configuration.writeHighWater
            guard !saturated, !connection.closeAfterResponses, !connection.inbound.isEmpty else { break }
            let before = connection.inbound.count
            processInbound(connection)
            if connection.isClosed { return }
            if connection.inbound.count == before { break }  // only a partial request is left
        }

        let shouldRead = !saturated && !connection.closeAfterResponses && !connection.peerClosed
        if shouldRead != connection.wantsRead {
            updateInterest(connection, read: shouldRead, write: connection.wantsWrite)
        }
        if connection.peerClosed && connection.slots.isEmpty && connection.pendingOutboundBytes == 0 {
            close(connection)  // nothing owed; whatever partial request is left can never complete
            return
        }

        if connection.pendingOutboundBytes > 0 {
            return  // the write deadline was set when bytes last moved
        }
        if saturated {
            connection.deadline = .max  // waiting for our own handlers, not for the client
            return
        }
        switch connection.phase {
        case .body, .chunkedBody:
            connection.deadline = connection.bodyDeadline
        case .head where connection.scanner.hasPartialHead || !connection.inbound.isEmpty:
            connection.deadline = connection.slots.isEmpty ? connection.headDeadline : .max
        case .head:
            connection.deadline = connection.slots.isEmpty
                ? now + UInt64(configuration.idleTimeoutSeconds * 1e9)
                : .max
        case .lingering:
            break
        }
    }
}

/// Serialises responses into HTTP/1.1 bytes.
enum ResponseWriter {
    static let continueLine: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
    private static let statusLines: [Int: [UInt8]] = {
        var lines: [Int: [UInt8]] = [:]
        for code in [200, 201, 202, 204, 301, 302, 304, 400, 401, 403, 404, 405, 408, 409, 411, 413, 414, 415,
                     417, 422, 429, 431, 500, 501, 502, 503, 504, 505] {
            lines[code] = Array("HTTP/1.1 \(HTTPStatus(code).description)\r\n".utf8)
        }
        return lines
    }()
    private static let contentLengthPrefix: [UInt8] = Array("Content-Length: ".utf8)
    private static let connectionClose: [UInt8] = Array("Connection: close\r\n".utf8)
    private static let connectionKeepAlive: [UInt8] = Array("Connection: keep-alive\r\n".utf8)
    private static let requestIDPrefix: [UInt8] = Array("\(RequestID.headerName): ".utf8)

    static func write(_ response: HTTPResponse, isHead: Bool, keepAlive: Bool, version: HTTPVersion,
                      date: [UInt8], requestID: String, into out: inout [UInt8]) {
        let status = response.status
        if let line = statusLines[status.code] {
            out.append(contentsOf: line)
        } else {
            out.append(contentsOf: "HTTP/1.1 \(status.description)\r\n".utf8)
        }
        out.append(contentsOf: date)
        if !status.forbidsBody {
            out.append(contentsOf: contentLengthPrefix)
            appendDecimal(response.body.count, to: &out)
            out.append(0x0D)
            out.append(0x0A)
        }
        out.append(contentsOf: requestIDPrefix)
        out.append(contentsOf: requestID.utf8)
        out.append(0x0D)
        out.append(0x0A)
        for header in response.headers {
            out.append(contentsOf: header.name.utf8)
            out.append(0x3A)
            out.append(0x20)
            out.append(contentsOf: header.value.utf8)
            out.append(0x0D)
            out.append(0x0A)
        }
        if !keepAlive {
            out.append(contentsOf: connectionClose)
        } else if version == .http1_0 {
            out.append(contentsOf: connectionKeepAlive)
        }
        out.append(0x0D)
        out.append(0x0A)
        if !isHead && !status.forbidsBody {
            out.append(contentsOf: response.body)
        }
    }

    private static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(0x30 + value))
            return
        }
        var digits: [UInt8] = []
        var v = value
        while v > 0 {
            digits.append(UInt8(0x30 + v % 10))
            v /= 10
        }
        out.append(contentsOf: digits.reversed())
    }
}
