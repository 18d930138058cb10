internal import CCurl

extension CurlEasy {
    /// The response of the transfer that just completed; the body moves out without a copy.
    func takeResponse() -> CurlResponse {
        var status = 0
        var total = 0.0
        var connects = 0
        _ = switchboard_curl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        _ = switchboard_curl_easy_getinfo_double(handle, CURLINFO_TOTAL_TIME, &total)
        _ = switchboard_curl_easy_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &connects)
        // Both buffers move out without a copy; `configure` gives the next transfer new ones.
        var body: [UInt8] = []
        var head: [UInt8] = []
        swap(&body, &responseBody)
        swap(&head, &responseHead)
        return CurlResponse(status: status, head: head, body: body, totalSeconds: total, newConnections: connects)
    }

    /// The error for a transfer that ended with `code`.
    func makeError(_ code: CURLcode) -> CurlError {
        let kind = CurlError.kind(of: code)
        var requestBytes = 0
        _ = switchboard_curl_easy_getinfo_long(handle, CURLINFO_REQUEST_SIZE, &requestBytes)
        let wasSent: Bool
        switch kind {
        case .resolve, .connect, .tls, .invalidRequest: wasSent = false
        // > CURLINFO_REQUEST_SIZE: Pass a pointer to a long to receive the total size of the issued
        // > requests. This is so far only for HTTP requests.
        // Zero: not one byte of the request reached the connection.
        default: wasSent = isMail || requestBytes > 0
        }
        var message = errorText[0] != 0 ? String(cString: errorText) : ""
        if message.isEmpty { message = String(cString: curl_easy_strerror(code)) }
        return CurlError(code: Int32(code.rawValue), kind: kind, message: message, endpoint: CurlError.endpoint(of: url), requestWasSent: wasSent)
    }
}
