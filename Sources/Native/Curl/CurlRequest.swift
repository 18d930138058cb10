/// One transfer for `CurlClient`: an HTTP request, or an SMTP submission when `mail` is set.
///
/// Values only: the client copies what libcurl needs when the transfer starts, so the request can
/// be built on any task and reused.
public struct CurlRequest: Sendable {
    /// `GET`, `POST`, `PATCH`, `PUT`, `DELETE`; ignored for SMTP.
    public var method: String
    /// `http://`, `https://`, `smtp://` or `smtps://`; other schemes are refused by libcurl.
    public var url: String
    /// Header fields in order. `Content-Length` and `Host` are libcurl's to write.
    public var headers: [(name: String, value: String)]
    /// The request body (HTTP) or the whole RFC 5322 message (SMTP).
    public var body: [UInt8]
    /// The TCP (and TLS) connection must be up within this time.
    public var connectTimeoutMillis: Int
    /// The whole transfer must finish within this time, connection included.
    public var timeoutMillis: Int
    /// A PEM bundle of the certificate authorities to trust instead of the system's, for
    /// self-hosted systems with a private CA. Verification of peer and host stays on.
    public var caFile: String?
    /// User name and password for SMTP AUTH (HTTP auth is a header the caller writes).
    public var login: Login?
    /// The SMTP envelope; nil for HTTP.
    public var mail: Mail?
    /// A larger response body fails the transfer instead of filling memory.
    public var maxResponseBytes = 16 << 20
    /// How the transfer reaches the server.
    public var proxy = Proxy.none

    public enum Proxy: Sendable, Equatable {
        /// Straight to the server, whatever `http_proxy` and friends say.
        case none
        /// libcurl's reading of `http_proxy`, `https_proxy`, `all_proxy` and `no_proxy`.
        case environment
        /// Through this proxy (`http://proxy.internal:3128`).
        case url(String)
    }

    public init(method: String = "GET", url: String, headers: [(name: String, value: String)] = [],
                body: [UInt8] = [], connectTimeoutMillis: Int = 5_000, timeoutMillis: Int = 30_000,
                caFile: String? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeoutMillis = connectTimeoutMillis
        self.timeoutMillis = timeoutMillis
        self.caFile = caFile
    }

    public struct Login: Sendable {
        public var user: String
        public var password: String

        public init(user: String, password: String) {
            self.user = user
            self.password = password
        }
    }

    /// The SMTP envelope and how to protect the session.
    public struct Mail: Sendable {
        public enum Security: Sendable {
            /// Plain SMTP (loopback relays, the sandbox). `smtps://` URLs use TLS from the start anyway.
            case none
            /// STARTTLS when the server offers it, plain otherwise.
            case startTLSIfAvailable
            /// STARTTLS or fail: the message never travels in clear text.
            case requireStartTLS
        }

        public var from: String
        public var recipients: [String]
        public var security: Security

        public init(from: String, recipients: [String], security: Security = .requireStartTLS) {
            self.from = from
            self.recipients = recipients
            self.security = security
        }
    }
}
