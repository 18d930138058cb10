import HTTP

/// Query parameters the list endpoints share, refused with 422 naming the parameter.
public enum QueryParameters {
    /// `limit=`: 1 to 500, `fallback` when absent.
    public static func limit(_ query: [String: String], fallback: Int = 50) throws(HTTPError) -> Int {
        guard let text = query["limit"] else { return fallback }
        guard let value = Int(text), (1...500).contains(value) else {
            throw HTTPError(.unprocessableContent, code: "invalid_query", message: "limit: must be a whole number from 1 to 500")
        }
        return value
    }

    /// `name=` as one of `Choice`'s raw values; nil when absent or empty.
    public static func choice<Choice: RawRepresentable & CaseIterable>(_ query: [String: String], _ name: String,
                                                                       as _: Choice.Type) throws(HTTPError) -> Choice?
        where Choice.RawValue == String {
        guard let text = query[name], !text.isEmpty else { return nil }
        guard let value = Choice(rawValue: text) else {
            throw HTTPError(.unprocessableContent, code: "invalid_query",
                            message: "\(name): must be one of \(Choice.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}
