import HTTP
import Model

/// The simulated providers, each with its own error format.
enum SandboxProvider: String, Sendable {
    case stripe, twilio, hubspot, calcom, slack
    /// The sandbox's own routes (`/sandbox/...`): the Switchboard error format.
    case sandbox

    /// An error answer in this provider's documented format (errors-and-rate-limits.md).
    func errorResponse(status: Int, message: String, path: String) -> HTTPResponse {
        let httpStatus = HTTPStatus(status)
        switch self {
        case .stripe:
            // {"error":{"type","code","message",...}}
            var error: JSONObject = ["message": .string(message)]
            switch status {
            case 429:
                error["type"] = "invalid_request_error"
                error["code"] = "rate_limit"
                error["message"] = "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests."
            case 500...599: error["type"] = "api_error"
            default: error["type"] = "invalid_request_error"
            }
            return .json(["error": .object(error)], status: httpStatus)
        case .twilio:
            let code: Int64 = status == 429 ? 20429 : (status >= 500 ? 20500 : 20001)
            let text = status == 429 ? "Too Many Requests" : message
            return .json(["code": .int(code), "message": .string(text), "more_info": .string("https://www.twilio.com/docs/errors/\(code)"),
                          "status": .int(Int64(status))], status: httpStatus)
        case .hubspot:
            if status == 429 {
                return .json(["status": "error", "message": "You have reached your secondly limit.", "errorType": "RATE_LIMIT",
                              "correlationId": .string(SandboxIDs.uuid()), "policyName": "SECONDLY", "requestId": .string(SandboxIDs.uuid())],
                             status: httpStatus)
            }
            let category = status >= 500 ? "INTERNAL_ERROR" : (status == 404 ? "OBJECT_NOT_FOUND" : "VALIDATION_ERROR")
            return .json(["status": "error", "message": .string(message), "correlationId": .string(SandboxIDs.uuid()),
                          "category": .string(category)], status: httpStatus)
        case .calcom:
            let names = [400: "BadRequestException", 401: "UnauthorizedException", 403: "ForbiddenException", 404: "NotFoundException",
                         409: "ConflictException", 429: "ThrottlerException", 500: "InternalServerErrorException"]
            let text = status == 429 ? "Too Many Requests" : message
            var response = HTTPResponse.json(["status": "error", "timestamp": .string(SandboxTime.isoNow()), "path": .string(path),
                                              "error": ["code": .string(names[status] ?? "HttpException"), "message": .string(text)]],
                                             status: httpStatus)
            if status == 429 {
                response.headers.append(("X-RateLimit-Limit-default", "120"))
                response.headers.append(("X-RateLimit-Remaining-default", "0"))
            }
            return response
        case .slack:
            let code = status == 429 ? "rate_limited" : (status >= 500 ? "rollup_error" : message)
            return .text(code, status: httpStatus, contentType: "text/html")
        case .sandbox:
            let code = status == 404 ? "not_found" : status == 409 ? "conflict" : (status >= 500 ? "sandbox_fault" : "bad_request")
            return .error(httpStatus, code: code, message: message)
        }
    }
}
