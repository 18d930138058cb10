import Model
import Native
import Routing
import Sandbox

/// A tenant file loaded for a dry run (`simulate`, `what-if`): nothing it does may leave the
/// machine.
///
/// `${VAR}` references resolve against the environment plus the in-process sandbox's URLs (which
/// win), variables the file needs but the environment lacks get placeholders (a dry run needs no
/// production secret), and every integration is then pointed at the sandbox whatever its
/// `base_url` says. Generic HTTP systems have no simulator: their calls get 404s from the sandbox.
enum DryRunConfig {
    struct Loaded {
        var snapshot: TenantSnapshot
        /// Variables given placeholders.
        var placeholders: [String]
        /// What the redirection changed that a reader should know.
        var notes: [String]
    }

    static let placeholder = "sandbox-placeholder"
    static let placeholderURL = "http://127.0.0.1:9/sandbox-placeholder"

    /// - Throws: `ConfigError` with every problem, as `validate` reports them.
    static func load(path: String, environment: [String: String], sandbox: SandboxServer) throws -> Loaded {
        let bytes = try FileSystem.readFile(path, maxBytes: 1 << 20)
        var values = environment.merging(sandbox.environment) { _, sandboxValue in sandboxValue }
        if values["SWITCHBOARD_PUBLIC_URL"] == nil { values["SWITCHBOARD_PUBLIC_URL"] = "http://127.0.0.1:8080" }
        var placeholders: [String] = []
        for (name, isURL) in requiredVariables(in: bytes) where values[name] == nil {
            values[name] = isURL ? placeholderURL : placeholder
            placeholders.append(name)
        }
        let loaded = try TenantConfigLoader(environment: values).load(bytes: bytes, file: path)
        let (config, notes) = redirect(loaded.config, to: sandbox)
        let snapshot = TenantSnapshot(config: config, version: loaded.version, loadedAtMillis: loaded.loadedAtMillis,
                                      source: loaded.source, idLocation: loaded.idLocation)
        return Loaded(snapshot: snapshot, placeholders: placeholders.sorted(), notes: notes)
    }

    /// `${NAME}` references without a `:-default`, and whether each sits on a URL setting.
    static func requiredVariables(in bytes: [UInt8]) -> [(name: String, isURL: Bool)] {
        var found: [(String, Bool)] = []
        var seen = Set<String>()
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            let key = line.split(separator: ":", maxSplits: 1).first.map { $0.trimmingCharacters(in: " -\t") } ?? ""
            let isURL = key.hasSuffix("url") || key == "base_url"
            var rest = line[...]
            while let dollar = rest.firstIndex(of: "$") {
                let after = rest[rest.index(after: dollar)...]
                if after.first == "$" {  // `$$` writes a literal `$`
                    rest = after.dropFirst()
                    continue
                }
                guard after.first == "{" else {
                    rest = after
                    continue
                }
                let name = after.dropFirst().prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                let next = after.dropFirst(1 + name.count).first
                if !name.isEmpty, next == "}", seen.insert(String(name)).inserted { found.append((String(name), isURL)) }
                rest = after.dropFirst()
            }
        }
        return found
    }

    /// The configuration with every integration on `sandbox`.
    static func redirect(_ original: TenantConfig, to sandbox: SandboxServer) -> (TenantConfig, [String]) {
        var config = original
        var notes: [String] = []
        let base = sandbox.baseURL
        for (role, integration) in original.integrations.roles {
            var changed = integration
            changed.caFile = nil
            switch integration.provider {
            case .hubspot: changed.baseURL = base + "/hubspot"
            case .stripe: changed.baseURL = base + "/stripe"
            case .calcom: changed.baseURL = base + "/calcom"
            case .twilio: changed.baseURL = base + "/twilio"
            case .slack:
                changed.baseURL = base + "/slack"
                let path = integration.credentials["webhook_path"]?.current.reveal() ?? ""
                if !(path.hasPrefix("/services/") && path.split(separator: "/").count == 4) {
                    changed.credentials["webhook_path"] = SecretSet(Secret("/services/T000/B000/sandbox"))
                }
            case .smtp:
                changed.baseURL = sandbox.smtpURL ?? base
                changed.startTLS = false
            }
            config.integrations.roles[role] = changed
        }
        for (name, system) in original.integrations.systems {
            var changed = system
            changed.baseURL = base + "/not-simulated/" + name
            changed.caFile = nil
            config.integrations.systems[name] = changed
            notes.append("the HTTP system \(name) has no simulator: its calls answer 404 in a dry run")
        }
        return (config, notes.sorted())
    }
}

extension Substring {
    func trimmingCharacters(in characters: String) -> String {
        var s = self
        while let first = s.first, characters.contains(first) { s = s.dropFirst() }
        while let last = s.last, characters.contains(last) { s = s.dropLast() }
        return String(s)
    }
}
