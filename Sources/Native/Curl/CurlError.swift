internal import CCurl

/// A transfer that produced no response: libcurl's result code, what it means for a retry, and
/// where it went. The URL's path and query are left out because they may carry secrets (a Slack
/// webhook's token); only scheme, host and port are kept.
public struct CurlError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The host name did not resolve.
        case resolve
        /// No TCP connection: refused, unreachable, or the connect timeout passed.
        case connect
        /// The TLS handshake or the certificate check failed (before any request byte was sent).
        case tls
        /// The total timeout passed.
        case timeout
        /// The connection broke while sending or receiving, or the server closed it without answering.
        case transport
        /// The URL or an option was refused before anything was sent (bad URL, disallowed scheme).
        case invalidRequest
        /// The server refused the login (SMTP AUTH) or a mail recipient.
        case rejected
        /// The client was shut down while the transfer waited.
        case clientStopped
        case other
    }

    /// The `CURLcode`, or -1 when the error comes from the client itself.
    public var code: Int32
    public var kind: Kind
    /// libcurl's explanation, such as "Failed to connect to 127.0.0.1 port 1: Connection refused".
    public var message: String
    /// `scheme://host:port` of the target.
    public var endpoint: String
    /// False when no byte of the request left this process, so the server cannot have acted on it:
    /// the one condition under which even a non-idempotent call may be retried.
    public var requestWasSent: Bool

    public init(code: Int32, kind: Kind, message: String, endpoint: String, requestWasSent: Bool) {
        self.code = code
        self.kind = kind
        self.message = message
        self.endpoint = endpoint
        self.requestWasSent = requestWasSent
    }

    public var description: String {
        "transfer to \(endpoint) failed (\(kind.rawValue), curl \(code)): \(message)"
    }

    static func kind(of code: CURLcode) -> Kind {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return .resolve
        case CURLE_COULDNT_CONNECT: return .connect
        case CURLE_OPERATION_TIMEDOUT: return .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_USE_SSL_FAILED:
            return .tls
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM,
             CURLE_WEIRD_SERVER_REPLY:
            return .transport
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT, CURLE_BAD_FUNCTION_ARGUMENT, CURLE_NOT_BUILT_IN:
            return .invalidRequest
        case CURLE_LOGIN_DENIED, CURLE_AUTH_ERROR: return .rejected
        default: return .other
        }
    }

    /// `scheme://host[:port]` of `url`, without user info, path or query.
    public static func endpoint(of url: String) -> String {
        guard let schemeEnd = url.firstRange(of: "://") else { return "(invalid URL)" }
        let rest = url[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@").last.map(String.init) ?? ""
        return String(url[..<schemeEnd.upperBound]) + host
    }
}
