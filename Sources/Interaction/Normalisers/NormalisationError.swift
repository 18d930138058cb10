import HTTP

/// A request body that does not fit the contract: which field, and why. Answers 422 (or 400 when
/// the body is not even parseable, 415 for the wrong media type).
public struct NormalisationError: HTTPResponseError, Equatable, CustomStringConvertible {
    public var status: HTTPStatus
    public var code: String
    public var message: String

    public static func invalid(_ field: String, _ why: String) -> NormalisationError {
        NormalisationError(status: .unprocessableContent, code: "invalid_field", message: "\(field): \(why)")
    }

    public static func malformed(_ why: String) -> NormalisationError {
        NormalisationError(status: .badRequest, code: "malformed_body", message: why)
    }

    public static func mediaType(expected: String) -> NormalisationError {
        NormalisationError(status: .unsupportedMediaType, code: "unsupported_media_type",
                           message: "send Content-Type: \(expected)")
    }

    public var description: String { "\(status.code) \(code): \(message)" }
}
