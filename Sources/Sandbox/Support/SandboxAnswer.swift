import HTTP
import Model

/// Ends a simulated call early with a complete answer in the provider's format (401, 404, 409).
struct SandboxAnswer: Error {
    let response: HTTPResponse

    init(_ response: HTTPResponse) { self.response = response }
}

extension HTTPRequest {
    /// The token of `Authorization: Bearer <token>`, or the user of `Authorization: Basic`.
    var bearerToken: String? {
        guard let value = headers["Authorization"], value.hasPrefix("Bearer ") else { return nil }
        let token = String(value.dropFirst(7)).trimmingSpaces()
        return token.isEmpty ? nil : token
    }

    /// User and password of `Authorization: Basic base64(user:password)`.
    var basicCredentials: (user: String, password: String)? {
        guard let value = headers["Authorization"], value.hasPrefix("Basic "),
              let decoded = Base64.decode(String(value.dropFirst(6)).trimmingSpaces()) else { return nil }
        let text = String(decoding: decoded, as: UTF8.self)
        guard let colon = text.firstIndex(of: ":") else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    var json: JSON? { try? JSONParser.parse(body) }
}

extension String {
    func trimmingSpaces() -> String {
        var view = Substring(self)
        while view.first == " " { view = view.dropFirst() }
        while view.last == " " { view = view.dropLast() }
        return String(view)
    }
}
