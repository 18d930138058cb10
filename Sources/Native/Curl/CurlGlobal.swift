internal import CCurl

/// libcurl's process-wide initialisation, done once before the first handle exists.
enum CurlGlobal {
    // > This function must be called at least once within a program (a program is all the code
    // > that shares a memory space) before the program calls any other function in libcurl.
    // Swift initialises a static exactly once, on first use and under a lock, so every handle is
    // created after it, and concurrent first uses wait for it.
    private static let initialized: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
    }()

    static func ensureInitialized() {
        precondition(initialized, "curl_global_init failed: libcurl cannot be used")
    }

    /// The libcurl version string, such as `libcurl/7.88.1 OpenSSL/3.0.15 zlib/1.2.13`.
    static var version: String { String(cString: curl_version()) }
}
