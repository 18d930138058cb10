import Model
import Native

/// An HTTP response. Build constant responses once and return the same value: the body array is
/// shared, not copied.
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// The name of the key the handler authenticated (a tenant file's key `name`, never the key),
    /// for the access log's `key` field; not sent. Set it with `attributed(to:_:)`, which also
    /// covers the errors a handler throws after authenticating.
    public var keyName: String?

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

    /// Runs the rest of a handler on behalf of the key named `keyName`: the response it returns,
    /// or the answer for the error it throws, names that key in the access log.
    ///
    /// ```swift
    /// let key = try access.authorize(request, tenant: tenant, roles: [.api])
    /// return try await HTTPResponse.attributed(to: key.name) { try await accept(request) }
    /// ```
    public static func attributed(to keyName: String?,
                                  _ body: () async throws -> HTTPResponse) async throws -> HTTPResponse {
        guard let keyName else { return try await body() }
        do {
            var response = try await body()
            response.keyName = keyName
            return response
        } catch {
            throw AttributedError(keyName: keyName, underlying: error)
        }
    }
}

/// An error a handler threw after authenticating the key named `keyName`; the server answers as
/// for `underlying` and logs the key name.
public struct AttributedError: Error, CustomStringConvertible {
    public var keyName: String
    public var underlying: any Error

    public init(keyName: String, underlying: any Error) {
        self.keyName = keyName
        self.underlying = underlying
    }

    public var description: String { Logger.describe(underlying) }
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
