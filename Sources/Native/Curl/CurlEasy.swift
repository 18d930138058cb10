internal import CCurl
import Glibc

/// Owns one libcurl easy handle and every buffer libcurl reads or writes during its transfer: the
/// header lists, the request body, the response buffers and the error text. One transfer at a
/// time; the driver reuses it for the next one after `reset()`.
final class CurlEasy: @unchecked Sendable {
    // @unchecked Sendable: used by one thread at a time; handed between the configuring task and
    // the driver thread through the driver's inbox and pool locks.
    let handle: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var recipientList: UnsafeMutablePointer<curl_slist>?
    // The request body at an address that stays put for the whole transfer: CURLOPT_POSTFIELDS
    // sends from it without copying, and the SMTP read callback copies from it.
    private var bodyStorage = UnsafeMutableRawBufferPointer.allocate(byteCount: 512, alignment: 16)
    private var bodyCount = 0
    private var readOffset = 0
    let errorText = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
    private var maxResponseBytes = 0
    private var optionFailed = false
    private(set) var isMail = false
    private(set) var endpoint = ""
    var responseHead: [UInt8] = []
    var responseBody: [UInt8] = []

    init() {
        CurlGlobal.ensureInitialized()
        // > If this function returns NULL, something went wrong and you cannot use the other curl functions.
        guard let handle = curl_easy_init() else { fatalError("curl_easy_init returned NULL: out of memory") }
        self.handle = handle
    }

    deinit {
        // > Any use of the easy handle after this function has been called and have returned, is illegal.
        // The driver removed it from its multi handle first, as libcurl requires.
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        curl_slist_free_all(recipientList)
        bodyStorage.deallocate()
        errorText.deallocate()
    }

    /// Sets every option for `request`; the handle must not be in a multi handle.
    func configure(_ request: CurlRequest) throws(CurlError) {
        // > Re-initializes all options previously set on a specified CURL handle to the default values.
        // > It does not change ... live connections, the Session ID cache, the DNS cache.
        curl_easy_reset(handle)
        curl_slist_free_all(headerList)
        curl_slist_free_all(recipientList)
        headerList = nil
        recipientList = nil
        responseHead.removeAll(keepingCapacity: true)
        responseBody = []
        readOffset = 0
        errorText[0] = 0
        optionFailed = false
        endpoint = CurlError.endpoint(of: request.url)
        maxResponseBytes = request.maxResponseBytes
        isMail = request.mail != nil
        storeBody(request.body)

        let me = Unmanaged.passUnretained(self).toOpaque()
        // String options are copied:
        // > The application does not have to keep the string around after setting this option.
        set(CURLOPT_URL, request.url)
        // > CURLOPT_NOSIGNAL ... If you want your application to be thread-safe, you must set this.
        set(CURLOPT_NOSIGNAL, 1)
        set(CURLOPT_CONNECTTIMEOUT_MS, max(1, request.connectTimeoutMillis))
        set(CURLOPT_TIMEOUT_MS, max(1, request.timeoutMillis))
        set(CURLOPT_SSL_VERIFYPEER, 1)
        set(CURLOPT_SSL_VERIFYHOST, 2)
        if let caFile = request.caFile { set(CURLOPT_CAINFO, caFile) }
        set(CURLOPT_ERRORBUFFER, pointer: errorText)
        set(CURLOPT_WRITEDATA, pointer: me)
        check(switchboard_curl_easy_setopt_write(handle) { data, size, count, user in
            Unmanaged<CurlEasy>.fromOpaque(user!).takeUnretainedValue().received(data, size * count)
        })
        set(CURLOPT_HEADERDATA, pointer: me)
        check(switchboard_curl_easy_setopt_header(handle) { data, size, count, user in
            Unmanaged<CurlEasy>.fromOpaque(user!).takeUnretainedValue().receivedHeader(data, size * count)
        })
        if let mail = request.mail {
            configureMail(mail, login: request.login)
            set(CURLOPT_READDATA, pointer: me)
            check(switchboard_curl_easy_setopt_read(handle) { buffer, size, count, user in
                Unmanaged<CurlEasy>.fromOpaque(user!).takeUnretainedValue().send(into: buffer, size * count)
            })
        } else {
            // > CURLOPT_PROTOCOLS_STR: Limits what protocols libcurl may use in the transfer.
            // A tenant-configured URL must not reach file:// or any other scheme.
            set(CURLOPT_PROTOCOLS_STR, "http,https")
            set(CURLOPT_USERAGENT, "switchboard/0.1")
            configureMethod(request.method)
            for (name, value) in request.headers { appendHeader("\(name): \(value)") }
            // > To disable the Expect: 100-continue header, set it to an empty value: "Expect:".
            if bodyCount > 0 { appendHeader("Expect:") }
            set(CURLOPT_HTTPHEADER, pointer: headerList.map(UnsafeRawPointer.init))
        }
        guard !optionFailed else {
            throw CurlError(code: -1, kind: .invalidRequest, message: "libcurl refused an option for this request",
                            endpoint: endpoint, requestWasSent: false)
        }
    }

    private func configureMethod(_ method: String) {
        switch method {
        case "GET" where bodyCount == 0:
            set(CURLOPT_HTTPGET, 1)
        case "HEAD":
            set(CURLOPT_NOBODY, 1)
        default:
            // > CURLOPT_POSTFIELDS: The data pointed to is NOT copied by the library: as a consequence,
            // > it must be preserved by the calling application until the associated transfer finishes.
            check(switchboard_curl_easy_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bodyCount)))
            set(CURLOPT_POSTFIELDS, pointer: UnsafeRawPointer(bodyStorage.baseAddress))
            if method != "POST" { set(CURLOPT_CUSTOMREQUEST, method) }
        }
    }

    private func configureMail(_ mail: CurlRequest.Mail, login: CurlRequest.Login?) {
        set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        set(CURLOPT_MAIL_FROM, "<\(mail.from)>")
        for recipient in mail.recipients {
            recipientList = curl_slist_append(recipientList, "<\(recipient)>")
        }
        set(CURLOPT_MAIL_RCPT, pointer: recipientList.map(UnsafeRawPointer.init))
        // > CURLUSESSL_TRY - Try using SSL, proceed anyway otherwise.
        // > CURLUSESSL_ALL - Require SSL for all communication or fail with CURLE_USE_SSL_FAILED.
        switch mail.security {
        case .none: set(CURLOPT_USE_SSL, Int(CURLUSESSL_NONE.rawValue))
        case .startTLSIfAvailable: set(CURLOPT_USE_SSL, Int(CURLUSESSL_TRY.rawValue))
        case .requireStartTLS: set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
        }
        if let login {
            set(CURLOPT_USERNAME, login.user)
            set(CURLOPT_PASSWORD, login.password)
        }
        // > CURLOPT_UPLOAD ... the data is read from the read callback; for SMTP it is the mail.
        set(CURLOPT_UPLOAD, 1)
        check(switchboard_curl_easy_setopt_off(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(bodyCount)))
    }

    private func set(_ option: CURLoption, _ value: Int) {
        check(switchboard_curl_easy_setopt_long(handle, option, value))
    }

    private func set(_ option: CURLoption, _ value: String) {
        check(value.withCString { switchboard_curl_easy_setopt_ptr(handle, option, $0) })
    }

    private func set(_ option: CURLoption, pointer: UnsafeRawPointer?) {
        check(switchboard_curl_easy_setopt_ptr(handle, option, pointer))
    }

    private func check(_ code: CURLcode) {
        if code != CURLE_OK { optionFailed = true }
    }

    private func appendHeader(_ line: String) {
        // > curl_slist_append copies the string.
        headerList = curl_slist_append(headerList, line)
    }

    private func storeBody(_ body: [UInt8]) {
        if body.count > bodyStorage.count {
            bodyStorage.deallocate()
            bodyStorage = .allocate(byteCount: max(body.count, 512), alignment: 16)
        }
        bodyCount = body.count
        if !body.isEmpty { body.withUnsafeBytes { bodyStorage.copyMemory(from: $0) } }
    }

    private func received(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        // > Your callback should return the number of bytes actually taken care of. If that amount
        // > differs from the amount passed to your callback function, it signals an error condition.
        guard responseBody.count + count <= maxResponseBytes else { return 0 }
        responseBody.append(contentsOf: UnsafeRawBufferPointer(start: data, count: count))
        return count
    }

    private func receivedHeader(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        let line = UnsafeRawBufferPointer(start: data, count: count)
        // A new status line starts a new response (after 100 Continue or an informational answer).
        if count >= 5, line[0] == UInt8(ascii: "H"), line[1] == UInt8(ascii: "T"), line[2] == UInt8(ascii: "T"),
           line[3] == UInt8(ascii: "P"), line[4] == UInt8(ascii: "/") {
            responseHead.removeAll(keepingCapacity: true)
        }
        guard responseHead.count + count <= 64 * 1024 else { return 0 }
        responseHead.append(contentsOf: line)
        return count
    }

    private func send(into buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int {
        let count = min(capacity, bodyCount - readOffset)
        guard count > 0, let buffer, let base = bodyStorage.baseAddress else { return 0 }
        UnsafeMutableRawPointer(buffer).copyMemory(from: base + readOffset, byteCount: count)
        readOffset += count
        return count
    }
}
