import Model
import Native

extension EventLoop {
    /// The caller's `X-Request-Id` when it is acceptable, otherwise a fresh one.
    func requestID(for head: RequestHead) -> String {
        if let value = head.headers[RequestID.headerName], RequestID.isAcceptable(value) { return value }
        return mintRequestID()
    }

    func mintRequestID() -> String { requestIDs.next(unixMillis: Clock.unixMillis()) }

    /// Writes the access log line for a response just serialised, if the sampler keeps it.
    func logAccess(_ slot: Connection.Slot, _ response: HTTPResponse, finishedAt: UInt64) {
        let status = response.status.code
        let elapsed = finishedAt &- slot.startedAt
        guard case .log(let sampleRate)? = accessSampler?.decide(status: status, elapsedNanos: elapsed, now: finishedAt)
        else { return }
        let routes = context.router.routes
        let entry = AccessLogEntry(
            method: slot.method,
            route: routes.indices.contains(slot.route) ? routes[slot.route].pattern : nil,
            tenant: slot.tenant, status: status,
            bytes: slot.isHead || response.status.forbidsBody ? 0 : response.body.count,
            elapsedNanos: elapsed, requestID: slot.requestID, keyName: response.keyName, sampleRate: sampleRate)
        if let sink = context.configuration.accessLog.sink {
            sink(entry.fields)
        } else {
            accessLogger.info("request", entry.fields)
        }
    }
}
