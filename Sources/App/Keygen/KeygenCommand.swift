import Model
import Native

/// `switchboard keygen [--name NAME] [--role ROLE]`: a new random api, operator or viewer key, and the lines that go in
/// the tenant file's `access:` (which stores only the key's SHA-256).
enum KeygenCommand {
    static var help: String {
        """
        Usage: switchboard keygen [--name NAME] [--role api|operator|viewer]

        Prints a new key (32 random bytes from the system's CSPRNG, base64url) and the YAML entry for
        the tenant file: the file keeps only its sha256:, so hand the key itself to its holder now;
        it is not stored anywhere and cannot be recovered.

        Options:
          --name NAME                 the key's name in the file (default: website, dispatch or owner by role)
          --role ROLE                 api (a website or partner: creates interactions, reads its own),
                                      operator (reads and acts on everything) or viewer (reads
                                      everything); the entry goes under access.ROLE_keys (default api)
          --help                      this text

        """
    }

    static func run(_ arguments: [String], environment: [String: String]) throws -> Int32 {
        let flags = [Flag(name: "name", environment: nil, valueName: "NAME", help: "", defaultValue: nil),
                     Flag(name: "role", environment: nil, valueName: "ROLE", help: "", defaultValue: "api")]
        let parsed = try ParsedFlags.parse(arguments, flags: flags, switchNames: ["help"], environment: [:])
        if parsed.contains("help") {
            print(help, terminator: "")
            return 0
        }
        let role = parsed["role"] ?? "api"
        guard let kind = AccessRole(rawValue: role) else { throw UsageError("--role must be api, operator or viewer") }
        let name = parsed["name"] ?? { switch kind { case .api: "website"; case .operator: "dispatch"; case .viewer: "owner" } }()
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
            throw UsageError("--name may hold letters, digits, '-', '_' and '.'")
        }
        let key = makeKey()
        print(render(key: key, name: name, role: role), terminator: "")
        return 0
    }

    /// `sb_` and 43 base64url characters (256 bits).
    static func makeKey() -> String {
        let encoded = Base64.encode(Crypto.randomBytes(32))
        var url = ""
        for character in encoded where character != "=" {
            url.append(character == "+" ? "-" : character == "/" ? "_" : character)
        }
        return "sb_" + url
    }

    static func hashLine(for key: String) -> String { "sha256:" + Hex.encode(Crypto.sha256(key)) }

    static func render(key: String, name: String, role: String) -> String {
        """
        key: \(key)
          Give it to its holder now (Authorization: Bearer <key>); it is not kept anywhere.

        In the tenant file, under access.\(role)_keys:
            - name: \(name)
              hash: \(hashLine(for: key))

        """
    }
}
