import Model

extension StripePayments {
    /// Stripe answers 200 with the object, or an error status with
    /// `{"error":{"type","code","message","param","decline_code"}}`.
    static func interpret<Value>(_ response: HTTPClient.Response, operation: String,
                                 decode: (JSON) -> Value?) -> Result<Value, ProviderError> {
        guard response.isSuccess else { return .failure(error(response, operation: operation)) }
        guard let json = response.json, let value = decode(json) else {
            return .failure(ProviderAnswer.malformed(response, provider: "stripe", operation: operation, expected: "Stripe object"))
        }
        return .success(value)
    }

    static func error(_ response: HTTPClient.Response, operation: String) -> ProviderError {
        let body = response.json?["error"]
        let type = body?["type"]?.stringValue
        let code = body?["decline_code"]?.stringValue ?? body?["code"]?.stringValue ?? type
        var message = body?["message"]?.stringValue
        if let param = body?["param"]?.stringValue, let text = message { message = "\(text) (param \(param))" }
        let kind: ProviderError.Kind?
        switch response.status {
        // > 409 Conflict: The request conflicts with another request (perhaps due to using the same
        // > idempotent key). Not executed: safe to send again.
        case 409: kind = .retryable
        case 400 where type == "idempotency_error": kind = .permanent
        // > Stripe-Should-Retry: false ... retrying will not succeed.
        case 500...599 where response.header("Stripe-Should-Retry") == "false": kind = .permanent
        default: kind = nil
        }
        var error = ProviderAnswer.error(response, provider: "stripe", operation: operation, code: code, message: message, kind: kind)
        if response.status == 409 { error.mayHaveTakenEffect = false }
        return error
    }
}
