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
        _ = switchboard_curl_multi_setopt_socketfunction(multi) { _, socket, what, user, _ in
            Unmanaged<CurlDriver>.fromOpaque(user!).takeUnretainedValue().watch(socket, what: what)
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

    private func watch(_ socket: Int32, what: Int32) {
        guard let epoll else { return }
        if what == CURL_POLL_REMOVE {
            // libcurl stops watching: a connection going idle into its cache, or a socket about to
            // be closed. It stays in epoll (a closed descriptor leaves epoll by itself) and is
            // dropped only if it reports something while unwanted, so the next transfer on this
            // connection costs one epoll_ctl instead of two.
            sockets.idle.insert(socket)
            return
        }
        sockets.idle.remove(socket)
        var events: Epoll.Events = []
        if what & CURL_POLL_IN != 0 { events.insert(.readable) }
        if what & CURL_POLL_OUT != 0 { events.insert(.writable) }
        // What we believe is registered may be stale (the socket was closed and its number reused),
        // so a failed modify falls back to add and a failed add to modify.
        if sockets.registered.contains(socket), (try? epoll.modify(socket, events: events)) != nil { return }
        if (try? epoll.add(socket, events: events)) == nil {
            _ = try? epoll.modify(socket, events: events)
        }
        sockets.registered.insert(socket)
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
                if sockets.idle.contains(socket) {
                    // An idle cached connection woke up (the server closed it): stop listening;
                    // libcurl notices the dead connection when it next tries to use it.
                    epoll.remove(socket)
                    sockets.idle.remove(socket)
                    sockets.registered.remove(socket)
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
