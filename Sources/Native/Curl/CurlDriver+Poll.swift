internal import CCurl

// The simple mode: curl_multi_perform drives every transfer, curl_multi_poll sleeps on all their
// sockets, and curl_multi_wakeup interrupts the sleep when a submission arrives. Each wake-up walks
// every transfer; kept to measure against the socket-action mode (see scripts/bench-client).
extension CurlDriver {
    func runPoll() {
        var running: Int32 = 0
        while drainInbox() {
            // > curl_multi_perform ... reads/writes available data from each easy handle.
            _ = curl_multi_perform(multi, &running)
            completeFinished()
            runJobs()
            var ready: Int32 = 0
            // > curl_multi_poll ... waits ... until activity is detected on at least one of the handles
            // > or timeout_ms has passed ... or curl_multi_wakeup has been called.
            _ = curl_multi_poll(multi, nil, 0, hasPendingJobs ? 0 : 1000, &ready)
        }
    }
}
