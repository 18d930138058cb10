import Model
import Native
import Synchronization

extension EventLoop {
    func readAvailable(_ connection: Connection) {
        let result: IOResult<Int>
        do {
            result = try connection.socket.receive(into: readBuffer)
        } catch {
            close(connection)  // ECONNRESET and the like: nothing more can be sent either
            return
        }
        guard case .processed(let count) = result else { return }
        if count == 0 {
            peerClosed(connection)
            return
        }
        if case .lingering = connection.phase { return }  // discard
        let fresh = UnsafeRawBufferPointer(rebasing: readBuffer[0..<count])
        if connection.inbound.isEmpty {
            let consumed = process(connection, fresh)
            if consumed < count, !connection.isClosed {
                connection.inbound = Array(UnsafeRawBufferPointer(rebasing: fresh[consumed...]))
            }
        } else {
            connection.inbound.append(contentsOf: fresh)
            processInbound(connection)
        }
        afterActivity(connection)
    }

    /// Processes bytes kept from earlier reads (after a pause for pipelining or back-pressure).
    func processInbound(_ connection: Connection) {
        guard !connection.inbound.isEmpty else { return }
        var data = connection.inbound
        connection.inbound = []
        let consumed = data.withUnsafeBytes { process(connection, $0) }
        guard !connection.isClosed else { return }
        if consumed == 0 {
            connection.inbound = data
        } else if consumed < data.count {
            data.removeSubrange(0..<consumed)
            connection.inbound = data
        }
    }

    /// The client shut its sending side: answer the complete requests already received, then close.
    private func peerClosed(_ connection: Connection) {
        connection.peerClosed = true
        if case .lingering = connection.phase {
            close(connection)
            return
        }
        afterActivity(connection)
    }

    /// Parses as many requests as `bytes` holds and dispatches them; returns the bytes consumed.
    func process(_ connection: Connection, _ bytes: UnsafeRawBufferPointer) -> Int {
        let configuration = context.configuration
        var offset = 0
        while !connection.closeAfterResponses && !connection.isClosed {
            if connection.slots.count >= configuration.maxPipelined
                || connection.pendingOutboundBytes > configuration.writeHighWater {
                break  // resumes when responses drain
            }
            let rest = UnsafeRawBufferPointer(rebasing: bytes[offset...])
            switch connection.phase {
            case .head:
                guard !rest.isEmpty else { return offset }
                if !connection.scanner.hasPartialHead {
                    connection.headDeadline = now + UInt64(configuration.headerTimeoutSeconds * 1e9)
                }
                let head: RequestHead
                do {
                    guard let end = try connection.scanner.scan(rest, limits: configuration.limits) else {
                        return offset  // keep the partial head
                    }
                    let start = connection.scanner.headStart
                    head = try HeadParser.parse(UnsafeRawBufferPointer(rebasing: rest[start..<end]),
                                                requestLineEnd: connection.scanner.requestLineEnd! - start,
                                                limits: configuration.limits)
                    offset += end
                    connection.scanner.reset()
                } catch {
                    respondAndClose(connection, HTTPResponse.error(error.status, code: error.code, message: error.message))
                    return bytes.count
                }
                switch head.framing {
                case .none:
                    dispatch(connection, head: head, body: [])
                case .length(let length):
                    connection.body = []
                    connection.body.reserveCapacity(length)
                    connection.phase = .body(head, remaining: length)
                    connection.bodyDeadline = now + UInt64(configuration.bodyTimeoutSeconds * 1e9)
                    if head.expectsContinue && offset == bytes.count { sendContinue(connection) }
                case .chunked:
                    connection.body = []
                    connection.phase = .chunkedBody(head, ChunkedDecoder())
                    connection.bodyDeadline = now + UInt64(configuration.bodyTimeoutSeconds * 1e9)
                    if head.expectsContinue && offset == bytes.count { sendContinue(connection) }
                }
            case .body(let head, let remaining):
                guard !rest.isEmpty else { return offset }
                let take = min(remaining, rest.count)
                connection.body.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[0..<take]))
                offset += take
                if take == remaining {
                    let body = connection.body
                    connection.body = []
                    connection.phase = .head
                    dispatch(connection, head: head, body: body)
                } else {
                    connection.phase = .body(head, remaining: remaining - take)
                    return offset
                }
            case .chunkedBody(let head, var decoder):
                guard !rest.isEmpty else { return offset }
                do {
                    offset += try decoder.decode(rest, into: &connection.body, limits: configuration.limits)
                } catch {
                    respondAndClose(connection, HTTPResponse.error(error.status, code: error.code, message: error.message),
                                    head: head)
                    return bytes.count
                }
                if decoder.isDone {
                    let body = connection.body
                    connection.body = []
                    connection.phase = .head
                    dispatch(connection, head: head, body: body)
                } else {
                    connection.phase = .chunkedBody(head, decoder)
                    return offset
                }
            case .lingering:
                return bytes.count
            }
        }
        return offset
    }

    private func sendContinue(_ connection: Connection) {
        // An interim response must not overtake final responses still owed to earlier requests.
        if connection.slots.isEmpty && connection.pendingOutboundBytes == 0 {
            connection.outbound.append(contentsOf: ResponseWriter.continueLine)
        } else {
            connection.continuePending = true
        }
    }

    /// Routes a complete request and runs (or starts) its handler.
    private func dispatch(_ connection: Connection, head: RequestHead, body: [UInt8]) {
        let keepAlive = head.keepAlive && !isDraining
        if !keepAlive { connection.closeAfterResponses = true }
        let sequence = connection.nextSequence
        connection.nextSequence += 1
        var request = HTTPRequest(method: head.method, target: head.target, version: head.version,
                                  headers: head.headers, body: body)
        request.receivedAt = now
        request.requestID = requestID(for: head)
        var slot = Connection.Slot(sequence: sequence, response: nil, isHead: head.method == .head,
                                   keepAlive: keepAlive, version: head.version,
                                   route: context.metrics.unmatchedRoute, startedAt: now,
                                   method: head.method, requestID: request.requestID, tenant: nil)

        switch context.router.resolve(head.method, path: request.path) {
        case .notFound:
            slot.response = HTTPServer.notFoundResponse
        case .badPath:
            slot.response = HTTPResponse.error(.badRequest, code: "malformed_path", message: "the path has an invalid percent-escape")
        case .methodNotAllowed(let allow):
            slot.response = HTTPResponse.error(.methodNotAllowed, code: "method_not_allowed",
                                               message: "\(head.method) is not allowed here; use \(allow)",
                                               headers: [("Allow", allow)])
        case .matched(let route, let handler, let parameters):
            slot.route = route.index
            request.parameters = parameters
            request.routePattern = route.pattern
            if let tenant = parameters["tenant"], TenantID.isValid(tenant) { slot.tenant = tenant }
            switch handler {
            case .immediate(let run):
                do {
                    slot.response = try run(request)
                } catch {
                    slot.response = HTTPServer.response(for: error, logger: logger)
                }
            case .async(let run):
                let inFlight = context.metrics.inFlight.wrappingAdd(1, ordering: .relaxed).newValue
                if inFlight > context.configuration.maxInFlight {
                    context.metrics.inFlight.wrappingSubtract(1, ordering: .relaxed)
                    context.metrics.rejectedOverload.wrappingAdd(1, ordering: .relaxed)
                    slot.response = HTTPResponse.error(
                        .serviceUnavailable, code: "overloaded",
                        message: "the server is at its limit of work in flight; retry shortly",
                        headers: [("Retry-After", String(context.configuration.retryAfterSeconds))])
                } else {
                    let completion = Completion(connectionID: connection.id, fd: connection.socket.fd,
                                                sequence: sequence, response: HTTPServer.notFoundResponse)
                    let metrics = context.metrics
                    let logger = self.logger
                    Task { [self] in
                        var completion = completion
                        do {
                            completion.response = try await run(request)
                        } catch {
                            completion.response = HTTPServer.response(for: error, logger: logger)
                        }
                        metrics.inFlight.wrappingSubtract(1, ordering: .relaxed)
                        self.deliver(completion)
                    }
                }
            }
        }
        connection.slots.append(slot)
        if slot.response != nil { flushSlots(connection) }
    }

    /// A handler finished on another thread.
    func complete(_ completion: Completion) {
        let fd = Int(completion.fd)
        guard fd < connectionCount, let connection = connection(at: fd), connection.id == completion.connectionID,
              let index = connection.slots.firstIndex(where: { $0.sequence == completion.sequence })
        else { return }  // the client went away meanwhile
        connection.slots[index].response = completion.response
        flushSlots(connection)
        afterActivity(connection)
    }
}
