internal import CCurl
import Glibc

/// Owns one libcurl easy handle and every buffer libcurl reads or writes during its transfer: the
/// header lists, the request body, the response buffers and the error text. One transfer at a
/// time; the driver reuses it for the next one after `reset()`.
final class CurlEasy: @unchecked Sendable {
    // @unchecked Sendable: used by one thread at a time; handed between the configuring task and
    // the driver thread through the driver's inbox and pool locks.
    let handle: UnsafeMutableRawPointer
    var headerList: UnsafeMutablePointer<curl_slist>?
    var recipientList: UnsafeMutablePointer<curl_slist>?
    // The request body at an address that stays put for the whole transfer: CURLOPT_POSTFIELDS
    // sends from it without copying, and the SMTP read callback copies from it.
    private(set) var bodyStorage = UnsafeMutableRawBufferPointer.allocate(byteCount: 512, alignment: 16)
    private(set) var bodyCount = 0
    var readOffset = 0
    let errorText = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
    private(set) var maxResponseBytes = 0
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
        // use: memory that crosses threads in both directions makes malloc arenas contend. Both
        // stay under glibc's 1032-byte per-thread cache limit: a larger request would also make
        // malloc consolidate its fast bins every time. Longer bodies are sized from Content-Length.
        responseHead = []
        responseHead.reserveCapacity(640)
        responseBody = []
        responseBody.reserveCapacity(960)
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
            let wanted = Profile(method: request.method, hasBody: bodyCount > 0, caFile: request.caFile, proxy: request.proxy)
            if wanted != profile {
                resetOptions()
                // > CURLOPT_PROTOCOLS_STR: Limits what protocols libcurl may use in the transfer.
                // A tenant-configured URL must not reach file:// or any other scheme.
                set(CURLOPT_PROTOCOLS_STR, "http,https")
                set(CURLOPT_USERAGENT, "switchboard/0.1")
                if let caFile = request.caFile { set(CURLOPT_CAINFO, caFile) }
                configureProxy(request.proxy)
                configureMethod(request.method)
                profile = optionFailed ? nil : wanted
            }
            if request.url != currentURL {
                set(CURLOPT_URL, request.url)
                currentURL = request.url
            }
            // Every attempt has its own timeouts (what is left of the caller's deadline).
            set(CURLOPT_CONNECTTIMEOUT_MS, max(1, request.connectTimeoutMillis))
            set(CURLOPT_TIMEOUT_MS, max(1, request.timeoutMillis))
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

    func set(_ option: CURLoption, _ value: Int) {
        check(switchboard_curl_easy_setopt_long(handle, option, value))
    }

    func set(_ option: CURLoption, _ value: String) {
        check(value.withCString { switchboard_curl_easy_setopt_ptr(handle, option, $0) })
    }

    func set(_ option: CURLoption, pointer: UnsafeRawPointer?) {
        check(switchboard_curl_easy_setopt_ptr(handle, option, pointer))
    }

    func check(_ code: CURLcode) {
        if code != CURLE_OK { optionFailed = true }
    }

    private func storeBody(_ body: [UInt8]) {
        if body.count > bodyStorage.count {
            bodyStorage.deallocate()
            bodyStorage = .allocate(byteCount: max(body.count, 512), alignment: 16)
        }
        bodyCount = body.count
        if !body.isEmpty { body.withUnsafeBytes { bodyStorage.copyMemory(from: $0) } }
    }

}
