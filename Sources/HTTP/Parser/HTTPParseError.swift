/// Why a request could not be parsed. Every case ends the connection after its answer, because
/// the framing of whatever follows can no longer be trusted (RFC 9112 §11.2).
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: HTTPStatus
    public var code: String
    public var message: String

    public var description: String { "\(status.code) \(code): \(message)" }

    static func badRequest(_ message: String) -> HTTPParseError {
        HTTPParseError(status: .badRequest, code: "malformed_request", message: message)
    }

    static let uriTooLong = HTTPParseError(status: .uriTooLong, code: "uri_too_long",
                                           message: "the request line is longer than the limit")
    static let headersTooLarge = HTTPParseError(status: .headerFieldsTooLarge, code: "headers_too_large",
                                                message: "the header section is larger than the limit")

    static func contentTooLarge(limit: Int) -> HTTPParseError {
        HTTPParseError(status: .contentTooLarge, code: "body_too_large",
                       message: "the request body is larger than the limit of \(limit) bytes")
    }
}

/// Size limits the parser enforces.
public struct HTTPLimits: Sendable {
    /// Longest request line (method, target, version); longer is 414.
    public var maxRequestLine = 8 * 1024
    /// Largest header section after the request line; larger is 431.
    public var maxHeaderBytes = 16 * 1024
    /// Most header fields in one request; more is 431.
    public var maxHeaderCount = 100
    /// Largest request body; larger is 413.
    public var maxBodyBytes = 1024 * 1024

    public init() {}
}
