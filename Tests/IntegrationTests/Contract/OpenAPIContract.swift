import HTTP
import Model

/// Checks a captured request against one of the provider extracts in `../shared/providers/`:
/// the operation exists for the method and path, required path, header and query parameters are
/// there (path patterns and header defaults such as `cal-api-version` respected), no undeclared
/// query parameter is sent, and the body has the documented content type, every required
/// property (recursively, through `$ref`, `allOf` and `oneOf`), no undeclared top-level
/// property, and values of the declared types and enums. Form bodies are read with Stripe's
/// bracket nesting first.
struct OpenAPIContract {
    let name: String
    let root: JSON

    /// The folder holding the extracts: `SWITCHBOARD_PROVIDER_SPECS`, else `../shared/providers`
    /// next to the repository.
    static var directory: String? {
        let repository = String(#filePath.split(separator: "/Tests/").first ?? "")
        for candidate in [environment("SWITCHBOARD_PROVIDER_SPECS"), "\(repository)/../shared/providers"].compactMap({ $0 })
        where fileExists("\(candidate)/stripe.openapi.json") {
            return candidate
        }
        return nil
    }

    static var isAvailable: Bool { directory != nil }

    init(_ name: String) throws {
        self.name = name
        let path = "\(Self.directory ?? ".")/\(name).openapi.json"
        root = try JSONParser.parse(try Self.read(path), maxDepth: 256)
    }

    /// Problems with `request`, whose path starts with `prefix` (the sandbox's `/stripe`); empty when it conforms.
    func problems(_ request: HTTPRequest, prefix: String = "") -> [String] {
        var path = String(request.path)
        if path.hasPrefix(prefix) { path = String(path.dropFirst(prefix.count)) }
        guard let (template, parameters, operation) = find(method: request.method.rawValue.lowercased(), path: path) else {
            return ["\(name): no operation \(request.method.rawValue) \(path)"]
        }
        var problems: [String] = []
        let query = request.queryItems
        var declaredQuery: Set<String> = []
        for parameter in (operation["parameters"]?.arrayValue ?? []).map(resolve) {
            let parameterName = parameter["name"]?.stringValue ?? ""
            let required = parameter["required"]?.boolValue ?? false
            switch parameter["in"]?.stringValue {
            case "path":
                let value = parameters[parameterName] ?? ""
                if value.isEmpty { problems.append("path parameter \(parameterName) missing in \(template)") }
                if let pattern = parameter.value(at: "schema.pattern")?.stringValue, !Self.matches(value, pattern: pattern) {
                    problems.append("path parameter \(parameterName)=\(value) does not match \(pattern)")
                }
            case "header":
                let value = request.headers[parameterName]
                if required && value == nil { problems.append("header \(parameterName) missing") }
                if let value, let expected = parameter.value(at: "schema.default")?.stringValue, value != expected {
                    problems.append("header \(parameterName) is \(value), the operation requires \(expected)")
                }
            case "query":
                declaredQuery.insert(parameterName)
                if required && query[parameterName] == nil { problems.append("query parameter \(parameterName) missing") }
            default: break
            }
        }
        for name in query.keys where !declaredQuery.contains(name) { problems.append("query parameter \(name) is not declared") }
        if let body = operation["requestBody"] {
            problems += bodyProblems(request, body: resolve(body))
        } else if !request.body.isEmpty {
            problems.append("\(template) takes no body")
        }
        return problems
    }

    private func bodyProblems(_ request: HTTPRequest, body: JSON) -> [String] {
        guard let mediaType = request.mediaType, let content = body["content"]?[mediaType] else {
            return ["body content type \(request.mediaType ?? "none") is not one of \(body["content"]?.objectValue?.keys ?? [])"]
        }
        let value: JSON
        if mediaType == "application/x-www-form-urlencoded" {
            value = FormDecoding.nested(request.body)
        } else {
            guard let json = try? JSONParser.parse(request.body) else { return ["body is not JSON"] }
            value = json
        }
        return validate(value, against: content["schema"] ?? .null, at: "body", form: mediaType != "application/json", topLevel: true)
    }

    /// Problems of `value` against `schema`; form values are strings whatever the declared type.
    func validate(_ value: JSON, against schema: JSON, at path: String, form: Bool, topLevel: Bool = false) -> [String] {
        let schema = resolve(schema)
        if let options = schema["oneOf"]?.arrayValue ?? schema["anyOf"]?.arrayValue {
            let results = options.map { validate(value, against: $0, at: path, form: form, topLevel: topLevel) }
            return results.contains { $0.isEmpty } ? [] : ["\(path) matches none of its alternatives: \(results.min { $0.count < $1.count } ?? [])"]
        }
        if let parts = schema["allOf"]?.arrayValue {
            return parts.flatMap { validate(value, against: $0, at: path, form: form, topLevel: topLevel) }
        }
        var problems: [String] = []
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(where: { $0.textValue == value.textValue }) {
            problems.append("\(path)=\(value.textValue) is not one of \(allowed.map(\.textValue))")
        }
        switch schema["type"]?.stringValue ?? (schema["properties"] != nil ? "object" : nil) {
        case "object":
            guard let object = value.objectValue else { return problems + ["\(path) must be an object"] }
            let properties = schema["properties"]?.objectValue
            for required in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[required] == nil {
                problems.append("\(path).\(required) is required")
            }
            for member in object {
                if let property = properties?[member.key] {
                    problems += validate(member.value, against: property, at: "\(path).\(member.key)", form: form)
                } else if let additional = schema["additionalProperties"], additional.objectValue != nil {
                    problems += validate(member.value, against: additional, at: "\(path).\(member.key)", form: form)
                } else if topLevel, properties != nil {
                    problems.append("\(path).\(member.key) is not a declared parameter")
                }
            }
        case "array":
            guard let array = value.arrayValue else { return problems + ["\(path) must be an array"] }
            for (index, element) in array.enumerated() {
                problems += validate(element, against: schema["items"] ?? .null, at: "\(path)[\(index)]", form: form)
            }
        case "integer":
            if form ? Int64(value.textValue) == nil : value.intValue == nil { problems.append("\(path)=\(value.textValue) is not an integer") }
        case "number":
            if form ? Double(value.textValue) == nil : value.doubleValue == nil { problems.append("\(path) is not a number") }
        case "boolean":
            if form ? !["true", "false"].contains(value.textValue) : value.boolValue == nil { problems.append("\(path) is not a Boolean") }
        case "string":
            if value.stringValue == nil { problems.append("\(path) is not a string") }
        default: break
        }
        return problems
    }

    /// The operation for `method` and `path`, with the path parameters' values.
    func find(method: String, path: String) -> (String, [String: String], JSON)? {
        for member in root["paths"]?.objectValue ?? JSONObject() {
            guard let operation = member.value[method], let parameters = Self.match(template: member.key, path: path) else { continue }
            return (member.key, parameters, operation)
        }
        return nil
    }

    func resolve(_ json: JSON) -> JSON {
        guard let reference = json["$ref"]?.stringValue, reference.hasPrefix("#/") else { return json }
        let target = root.value(at: reference.dropFirst(2).replacing("/", with: ".")) ?? .null
        return resolve(target)
    }

    static func match(template: String, path: String) -> [String: String]? {
        let expected = template.split(separator: "/")
        let actual = path.split(separator: "/")
        guard expected.count == actual.count else { return nil }
        var parameters: [String: String] = [:]
        for (pattern, segment) in zip(expected, actual) {
            if let open = pattern.firstIndex(of: "{"), let close = pattern.firstIndex(of: "}") {
                let prefix = pattern[..<open]
                let suffix = pattern[pattern.index(after: close)...]
                guard segment.hasPrefix(prefix), segment.hasSuffix(suffix), segment.count > prefix.count + suffix.count else { return nil }
                let value = segment.dropFirst(prefix.count).dropLast(suffix.count)
                parameters[String(pattern[pattern.index(after: open)..<close])] = PercentDecoding.decode(value) ?? String(value)
            } else if pattern != segment {
                return nil
            }
        }
        return parameters
    }

    /// The few regular expressions the extracts use: `^PP[0-9a-fA-F]{N}$`.
    static func matches(_ value: String, pattern: String) -> Bool {
        guard pattern.hasPrefix("^"), pattern.hasSuffix("}$"), let bracket = pattern.firstIndex(of: "["),
              let brace = pattern.lastIndex(of: "{"), let count = Int(pattern[pattern.index(after: brace)..<pattern.index(pattern.endIndex, offsetBy: -2)])
        else { return true }
        let prefix = pattern[pattern.index(after: pattern.startIndex)..<bracket]
        return value.hasPrefix(prefix) && value.count == prefix.count + count && value.dropFirst(prefix.count).allSatisfy(\.isHexDigit)
    }
}
