import Model

/// An HTTP response. Build constant responses once and return the same value: the body array is
/// shared, not copied.
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: HTTPStatus, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func text(_ text: String, status: HTTPStatus = .ok, contentType: String = "text/plain; charset=utf-8") -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", contentType)], body: Array(text.utf8))
    }

    public static func json(_ value: JSON, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json")], body: value.serializedBytes())
    }

    public static func json(bytes: [UInt8], status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json")], body: bytes)
    }

    /// A JSON error body `{"error":{"code","message"}}`.
    public static func error(_ status: HTTPStatus, code: String, message: String,
                             headers: [(name: String, value: String)] = []) -> HTTPResponse {
        let body: JSON = ["error": ["code": .string(code), "message": .string(message)]]
        var response = HTTPResponse.json(body, status: status)
        response.headers.append(contentsOf: headers)
        return response
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public var bodyString: String { String(decoding: body, as: UTF8.self) }
}

/// An error a handler can throw to produce a specific HTTP answer.
public protocol HTTPResponseError: Error {
    var status: HTTPStatus { get }
    /// A stable machine-readable code such as `invalid_json`.
    var code: String { get }
    /// What is wrong and where, for the caller; never secrets.
    var message: String { get }
    var headers: [(name: String, value: String)] { get }
}

extension HTTPResponseError {
    public var headers: [(name: String, value: String)] { [] }

    public var response: HTTPResponse {
        HTTPResponse.error(status, code: code, message: message, headers: headers)
    }
}

/// The general-purpose `HTTPResponseError`.
public struct HTTPError: HTTPResponseError, CustomStringConvertible {
    public var status: HTTPStatus
    public var code: String
    public var message: String
    public var headers: [(name: String, value: String)]

    public init(_ status: HTTPStatus, code: String, message: String, headers: [(name: String, value: String)] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status.code) \(code): \(message)" }
}
