internal import CCurl

// The event-driven mode: libcurl tells us which sockets to watch (CURLMOPT_SOCKETFUNCTION) and when
// its next timeout is due (CURLMOPT_TIMERFUNCTION); we wait on epoll and hand back only the sockets
// that are ready, so each wake-up costs in proportion to the ready sockets, not to all transfers.
extension CurlDriver {
    func installSocketCallbacks() {
        let me = Unmanaged.passUnretained(self).toOpaque()
        _ = switchboard_curl_multi_setopt_ptr(multi, CURLMOPT_SOCKETDATA, me)
        // > CURLMOPT_SOCKETFUNCTION: ... informs the application about updates in the socket (file
        // > descriptor) status ... what: CURL_POLL_IN, CURL_POLL_OUT, CURL_POLL_INOUT, CURL_POLL_REMOVE.
        _ = switchboard_curl_multi_setopt_socketfunction(multi) { _, socket, what, user, socketData in
            Unmanaged<CurlDriver>.fromOpaque(user!).takeUnretainedValue()
                .watch(socket, what: what, isKnown: socketData != nil)
            return 0
        }
        _ = switchboard_curl_multi_setopt_ptr(multi, CURLMOPT_TIMERDATA, me)
        // > CURLMOPT_TIMERFUNCTION: ... timeout_ms ... -1 means you should delete the timer. All other
        // > values are valid expire times in number of milliseconds.
        _ = switchboard_curl_multi_setopt_timerfunction(multi) { _, timeoutMillis, user in
            let driver = Unmanaged<CurlDriver>.fromOpaque(user!).takeUnretainedValue()
            driver.timerDeadline = timeoutMillis < 0 ? nil : Clock.monotonicNanos() + UInt64(timeoutMillis) * 1_000_000
            return 0
        }
    }

    private func watch(_ socket: Int32, what: Int32, isKnown: Bool) {
        guard let epoll else { return }
        if what == CURL_POLL_REMOVE {
            epoll.remove(socket)
            return
        }
        var events: Epoll.Events = []
        if what & CURL_POLL_IN != 0 { events.insert(.readable) }
        if what & CURL_POLL_OUT != 0 { events.insert(.writable) }
        if isKnown {
            if (try? epoll.modify(socket, events: events)) != nil { return }
        }
        // A descriptor number libcurl reuses after closing the previous socket arrives unknown again.
        if (try? epoll.add(socket, events: events)) == nil {
            _ = try? epoll.modify(socket, events: events)
        }
        // > curl_multi_assign ... creates an association in the multi handle between the given socket
        // > and a private pointer of the application ... passed to all future socket callbacks.
        // We only need "seen before", so any non-NULL pointer will do.
        _ = curl_multi_assign(multi, socket, UnsafeMutableRawPointer(bitPattern: 1))
    }

    func runSocketAction() {
        guard let epoll, let wakeup else { return }
        var running: Int32 = 0
        var isRunning = true
        while isRunning {
            let count = epoll.wait(timeoutMillis: hasPendingJobs ? 0 : millisUntilTimer())
            for index in 0..<count {
                let (socket, events) = epoll.event(at: index)
                if socket == wakeup.fd {
                    wakeup.drain()
                    isRunning = drainInbox()
                    continue
                }
                var mask: Int32 = 0
                if !events.isDisjoint(with: [.readable, .hangup, .error]) { mask |= CURL_CSELECT_IN }
                if events.contains(.writable) { mask |= CURL_CSELECT_OUT }
                // > curl_multi_socket_action ... ev_bitmask ... CURL_CSELECT_IN, CURL_CSELECT_OUT, CURL_CSELECT_ERR.
                _ = curl_multi_socket_action(multi, socket, mask, &running)
            }
            if let deadline = timerDeadline, Clock.monotonicNanos() >= deadline {
                timerDeadline = nil
                // > When the timeout expires, call curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, ...)
                _ = switchboard_curl_multi_socket_timeout(multi, &running)
            }
            completeFinished()
            runJobs()
        }
    }

    /// How long epoll may sleep: until libcurl's next timeout, and never more than a second.
    private func millisUntilTimer() -> Int32 {
        guard let deadline = timerDeadline else { return 1000 }
        let now = Clock.monotonicNanos()
        guard deadline > now else { return 0 }
        return Int32(min(1000, (deadline - now + 999_999) / 1_000_000))
    }
}
