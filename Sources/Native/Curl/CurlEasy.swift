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
    /// The request's URL, for error messages (only its scheme, host and port are shown).
    private(set) var url = ""
    var responseHead: [UInt8] = []
    var responseBody: [UInt8] = []
    // What the handle is set up for. A request with the same profile reuses every option but its
    // URL, body and headers, and skips curl_easy_reset with its frees and re-allocations.
    private var profile: Profile?
    private var currentURL: String?
    private var currentHeaders: [(name: String, value: String)]?
    private var currentHasBody = false

    private struct Profile: Equatable {
        var method: String
        var hasBody: Bool
        var connectTimeoutMillis: Int
        var timeoutMillis: Int
        var caFile: String?
        var proxy: CurlRequest.Proxy
    }

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
        // The response buffers are allocated here, on the caller's thread, and freed there after
        // use: memory that crosses threads in both directions makes malloc arenas contend.
        responseHead = []
        responseHead.reserveCapacity(768)
        responseBody = []
        responseBody.reserveCapacity(2048)
        readOffset = 0
        errorText[0] = 0
        optionFailed = false
        url = request.url
        maxResponseBytes = request.maxResponseBytes
        isMail = request.mail != nil
        storeBody(request.body)
        if let mail = request.mail {
            resetOptions()
            set(CURLOPT_URL, request.url)
            set(CURLOPT_CONNECTTIMEOUT_MS, max(1, request.connectTimeoutMillis))
            set(CURLOPT_TIMEOUT_MS, max(1, request.timeoutMillis))
            if let caFile = request.caFile { set(CURLOPT_CAINFO, caFile) }
            configureProxy(request.proxy)
            configureMail(mail, login: request.login)
            set(CURLOPT_READDATA, pointer: Unmanaged.passUnretained(self).toOpaque())
            check(switchboard_curl_easy_setopt_read(handle) { buffer, size, count, user in
                Unmanaged<CurlEasy>.fromOpaque(user!).takeUnretainedValue().send(into: buffer, size * count)
            })
            // The next HTTP request starts from a clean handle.
            profile = nil
        } else {
            let wanted = Profile(method: request.method, hasBody: bodyCount > 0, connectTimeoutMillis: request.connectTimeoutMillis,
                                 timeoutMillis: request.timeoutMillis, caFile: request.caFile, proxy: request.proxy)
            if wanted != profile {
                resetOptions()
                // > CURLOPT_PROTOCOLS_STR: Limits what protocols libcurl may use in the transfer.
                // A tenant-configured URL must not reach file:// or any other scheme.
                set(CURLOPT_PROTOCOLS_STR, "http,https")
                set(CURLOPT_USERAGENT, "switchboard/0.1")
                set(CURLOPT_CONNECTTIMEOUT_MS, max(1, request.connectTimeoutMillis))
                set(CURLOPT_TIMEOUT_MS, max(1, request.timeoutMillis))
                if let caFile = request.caFile { set(CURLOPT_CAINFO, caFile) }
                configureProxy(request.proxy)
                configureMethod(request.method)
                profile = optionFailed ? nil : wanted
            }
            if request.url != currentURL {
                set(CURLOPT_URL, request.url)
                currentURL = request.url
            }
            if bodyCount > 0 || (request.method != "GET" && request.method != "HEAD") {
                // > CURLOPT_POSTFIELDS: The data pointed to is NOT copied by the library: as a consequence,
                // > it must be preserved by the calling application until the associated transfer finishes.
                check(switchboard_curl_easy_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bodyCount)))
                set(CURLOPT_POSTFIELDS, pointer: UnsafeRawPointer(bodyStorage.baseAddress))
            }
            if currentHeaders.map({ !Self.same($0, request.headers) }) ?? true || currentHasBody != (bodyCount > 0) {
                curl_slist_free_all(headerList)
                headerList = nil
                // > curl_slist_append copies the string.
                for (name, value) in request.headers { headerList = curl_slist_append(headerList, "\(name): \(value)") }
                // > To disable the Expect: 100-continue header, set it to an empty value: "Expect:".
                if bodyCount > 0 { headerList = curl_slist_append(headerList, "Expect:") }
                set(CURLOPT_HTTPHEADER, pointer: headerList.map(UnsafeRawPointer.init))
                currentHeaders = request.headers
                currentHasBody = bodyCount > 0
            }
        }
        guard !optionFailed else {
            profile = nil
            throw CurlError(code: -1, kind: .invalidRequest, message: "libcurl refused an option for this request",
                            endpoint: CurlError.endpoint(of: url), requestWasSent: false)
        }
    }

    private static func same(_ a: [(name: String, value: String)], _ b: [(name: String, value: String)]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    /// Back to libcurl's defaults, then the options every transfer of ours needs.
    private func resetOptions() {
        // > Re-initializes all options previously set on a specified CURL handle to the default values.
        // > It does not change ... live connections, the Session ID cache, the DNS cache.
        curl_easy_reset(handle)
        curl_slist_free_all(headerList)
        curl_slist_free_all(recipientList)
        headerList = nil
        recipientList = nil
        currentURL = nil
        currentHeaders = nil
        let me = Unmanaged.passUnretained(self).toOpaque()
        // > CURLOPT_NOSIGNAL ... If you want your application to be thread-safe, you must set this.
        set(CURLOPT_NOSIGNAL, 1)
        set(CURLOPT_SSL_VERIFYPEER, 1)
        set(CURLOPT_SSL_VERIFYHOST, 2)
        set(CURLOPT_ERRORBUFFER, pointer: errorText)
        set(CURLOPT_WRITEDATA, pointer: me)
        check(switchboard_curl_easy_setopt_write(handle) { data, size, count, user in
            Unmanaged<CurlEasy>.fromOpaque(user!).takeUnretainedValue().received(data, size * count)
        })
        set(CURLOPT_HEADERDATA, pointer: me)
        check(switchboard_curl_easy_setopt_header(handle) { data, size, count, user in
            Unmanaged<CurlEasy>.fromOpaque(user!).takeUnretainedValue().receivedHeader(data, size * count)
        })
    }

    private func configureProxy(_ proxy: CurlRequest.Proxy) {
        switch proxy {
        // > Setting the proxy string to "" (an empty string) explicitly disables the use of a proxy,
        // > even if there is an environment variable set for it. (It also spares the environment
        // > lookups libcurl otherwise makes for every transfer.)
        case .none: set(CURLOPT_PROXY, "")
        case .environment: break
        case .url(let url): set(CURLOPT_PROXY, url)
        }
    }

    private func configureMethod(_ method: String) {
        switch method {
        case "GET" where bodyCount == 0:
            set(CURLOPT_HTTPGET, 1)
        case "HEAD":
            set(CURLOPT_NOBODY, 1)
        case "POST":
            set(CURLOPT_POST, 1)
        default:
            set(CURLOPT_CUSTOMREQUEST, method)
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
        // Size the body once from Content-Length instead of growing it chunk by chunk.
        if count > 16, let length = Self.contentLength(line), length <= maxResponseBytes, length > responseBody.capacity {
            responseBody.reserveCapacity(length)
        }
        return count
    }

    /// The value of a `Content-Length:` header line, or nil for any other line.
    private static func contentLength(_ line: UnsafeRawBufferPointer) -> Int? {
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

    private func send(into buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int {
        let count = min(capacity, bodyCount - readOffset)
        guard count > 0, let buffer, let base = bodyStorage.baseAddress else { return 0 }
        UnsafeMutableRawPointer(buffer).copyMemory(from: base + readOffset, byteCount: count)
        readOffset += count
        return count
    }
}
