/// `${NAME}` and `${NAME:-default}` references in the settings that take them (base URLs,
/// credentials, secrets, CA files). `$$` writes a literal `$`. Expansion reads the environment
/// dictionary the loader was given, never the process environment directly.
enum EnvironmentReference {
    struct Expansion {
        var text: String
        /// The variables read, in order.
        var variables: [String]
    }

    struct Problem: Error {
        var message: String
        /// Where in the text, in Unicode scalars.
        var offset: Int
    }

    static func expand(_ text: String, environment: [String: String]) -> Result<Expansion, Problem> {
        let bytes = Array(text.utf8)
        guard bytes.contains(UInt8(ascii: "$")) else { return .success(Expansion(text: text, variables: [])) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 32)
        var variables: [String] = []
        var index = 0
        // Offsets in messages count Unicode scalars, like editors' columns.
        let scalarOffset = { (end: Int) in bytes[..<end].count { $0 & 0xC0 != 0x80 } }
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "$"), index + 1 < bytes.count else { out.append(byte); index += 1; continue }
            if bytes[index + 1] == UInt8(ascii: "$") { out.append(byte); index += 2; continue }
            guard bytes[index + 1] == UInt8(ascii: "{") else { out.append(byte); index += 1; continue }
            guard let close = bytes[(index + 2)...].firstIndex(of: UInt8(ascii: "}")) else {
                return .failure(Problem(message: "`${` is never closed: write ${NAME}", offset: scalarOffset(index)))
            }
            let body = bytes[(index + 2)..<close]
            var nameBytes = body
            var fallback: ArraySlice<UInt8>?
            if let colon = body.firstIndex(of: UInt8(ascii: ":")), colon + 1 < close, bytes[colon + 1] == UInt8(ascii: "-") {
                nameBytes = bytes[(index + 2)..<colon]
                fallback = bytes[(colon + 2)..<close]
            }
            let name = String(decoding: nameBytes, as: UTF8.self)
            guard isVariableName(name) else {
                return .failure(Problem(message: "\"\(name)\" is not an environment variable name (letters, digits and _)",
                                        offset: scalarOffset(index)))
            }
            variables.append(name)
            if let value = environment[name], !(fallback != nil && value.isEmpty) {
                out.append(contentsOf: value.utf8)
            } else if let fallback {
                out.append(contentsOf: fallback)
            } else {
                return .failure(Problem(message: "${\(name)} is not set in the environment: set it, or give a default as ${\(name):-value}",
                                        offset: scalarOffset(index)))
            }
            index = close + 1
        }
        return .success(Expansion(text: String(decoding: out, as: UTF8.self), variables: variables))
    }

    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(first >= 48 && first <= 57) else { return false }
        return name.utf8.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }
}
