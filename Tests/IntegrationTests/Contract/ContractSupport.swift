import Glibc
import HTTP
import Model

/// A form body read the way Stripe reads it: `a[b][0]=v` becomes `{"a":{"b":["v"]}}`.
enum FormDecoding {
    static func pairs(_ body: [UInt8]) -> [(String, String)] {
        String(decoding: body, as: UTF8.self).split(separator: "&").map { part in
            let halves = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (PercentDecoding.decode(halves[0], plusAsSpace: true) ?? "",
                    PercentDecoding.decode(halves.count > 1 ? halves[1] : "", plusAsSpace: true) ?? "")
        }
    }

    static func nested(_ body: [UInt8]) -> JSON {
        var root = JSON.object(JSONObject())
        for (name, value) in pairs(body) {
            let path = name.split(whereSeparator: { $0 == "[" || $0 == "]" }).map(String.init)
            insert(.string(value), path: path[...], into: &root)
        }
        return arrays(root)
    }

    private static func insert(_ value: JSON, path: ArraySlice<String>, into node: inout JSON) {
        guard let first = path.first else { return }
        var object = node.objectValue ?? JSONObject()
        if path.count == 1 {
            object[first] = value
        } else {
            var child = object[first] ?? .object(JSONObject())
            insert(value, path: path.dropFirst(), into: &child)
            object[first] = child
        }
        node = .object(object)
    }

    private static func arrays(_ json: JSON) -> JSON {
        guard case .object(let object) = json else { return json }
        let converted = JSONObject(object.members.map { (key: $0.key, value: arrays($0.value)) })
        let indices = converted.keys.compactMap { Int($0) }
        if !converted.isEmpty, indices.count == converted.count, Set(indices) == Set(0..<converted.count) {
            return .array((0..<converted.count).map { converted[String($0)]! })
        }
        return .object(converted)
    }
}

extension OpenAPIContract {
    static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    static func fileExists(_ path: String) -> Bool {
        access(path, R_OK) == 0
    }

    static func read(_ path: String) throws -> [UInt8] {
        guard let file = fopen(path, "rb") else { throw ContractError(message: "cannot open \(path)") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count <= 0 { break }
            bytes += chunk[..<count]
        }
        return bytes
    }

    /// The example a response documents, to feed an adapter the provider's own sample answer.
    func example(_ method: String, _ path: String, status: String) -> JSON? {
        guard let (_, _, operation) = find(method: method, path: path),
              let content = operation.value(at: "responses.\(status).content")?["application/json"] else { return nil }
        if let example = content["examples"]?.objectValue?.members.first?.value["value"] { return example }
        return content["example"] ?? resolve(content["schema"] ?? .null)["example"]
    }
}

struct ContractError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
