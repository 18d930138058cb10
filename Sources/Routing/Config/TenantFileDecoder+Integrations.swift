import Model
import Native

extension TenantFileDecoder {
    func decodeIntegrations(_ map: MappingReader) -> IntegrationsConfig {
        var integrations = IntegrationsConfig()
        for role in IntegrationRole.allCases {
            guard let member = map.mapping(role.rawValue), let integration = decodeIntegration(member, role: role) else { continue }
            integrations.roles[role] = integration
        }
        if let systems = map.mapping("systems") {
            integrations.systems = named(systems) { name, member in decodeSystem(member, name: name) }
        }
        map.finish()
        return integrations
    }

    private func decodeIntegration(_ map: MappingReader, role: IntegrationRole) -> Integration? {
        // Declared even if it fails to decode: agents that need it are not told it is missing.
        reader.index.declared.insert(map.path)
        let providerPath = join(map.path, "provider")
        var provider: ProviderKind?
        if let node = map.required("provider"), let name = reader.string(node, path: providerPath) {
            let supported = role.providers.map(\.rawValue).joined(separator: " or ")
            if let kind = ProviderKind(rawValue: name), kind.role == role {
                provider = kind
            } else if let kind = ProviderKind(rawValue: name) {
                reader.error("\(kind.rawValue) is a \(kind.role.rawValue) provider; for \(role.rawValue) use \(supported)", at: node, path: providerPath)
            } else {
                let hint = EditDistance.hint(for: name, among: role.providers.map(\.rawValue))
                reader.error("unknown provider \"\(name)\"\(hint); Switchboard supports \(supported) for \(role.rawValue) "
                             + "(or describe the system under integrations.systems)", at: node, path: providerPath)
            }
        }
        let schemes = role == .email ? ["smtp", "smtps"] : ["https", "http"]
        let baseURL = map.required("base_url").flatMap { checkedURL($0, path: join(map.path, "base_url"), schemes: schemes) }
        var integration = Integration(role: role, provider: provider ?? role.providers[0], baseURL: baseURL ?? "")
        if let credentials = map.mapping("credentials") {
            if provider != nil {
                integration.credentials = decodeCredentials(credentials, provider: provider)
            } else {
                _ = credentials.entries  // which credentials belong here depends on the provider, already reported
            }
        } else if let provider, !provider.requiredCredentials.isEmpty {
            reader.error("missing required key \"credentials\" (\(provider.rawValue) needs "
                         + provider.requiredCredentials.joined(separator: ", ") + ")", at: map.keyLocation, path: map.path)
        }
        decodeCallSettings(map, timeout: &integration.timeout, rateLimit: &integration.rateLimit, caFile: &integration.caFile)
        if role == .scheduling, let types = map.mapping("event_types") {
            for entry in types.entries {
                guard let id = reader.identifier(entry.keyNode, path: entry.path),
                      let number = reader.integer(entry.value, path: entry.path, in: 1...Int(Int32.max)) else { continue }
                integration.eventTypes[id] = number
            }
        }
        if role == .scheduling, let types = map.mapping("recurring_event_types") {
            integration.recurringEventTypes = decodeRecurringEventTypes(types)
        }
        if role == .email, let startTLS = map.bool("starttls") { integration.startTLS = startTLS }
        map.finish()
        return provider == nil ? nil : integration
    }

    private func decodeCredentials(_ map: MappingReader, provider: ProviderKind?) -> [String: SecretSet] {
        var credentials: [String: SecretSet] = [:]
        let allowed = provider.map { $0.requiredCredentials + $0.optionalCredentials } ?? []
        for name in allowed {
            // Account SIDs and user names identify; they may be written out.
            let isIdentifier = name == "account_sid" || name == "username"
            guard let node = map.value(name),
                  let secrets = reader.secrets(node, path: join(map.path, name), isIdentifier: isIdentifier) else { continue }
            credentials[name] = secrets
        }
        if let provider {
            for name in provider.requiredCredentials where !map.contains(name) {
                reader.error("missing required key \"\(name)\" (\(provider.rawValue) needs "
                             + provider.requiredCredentials.joined(separator: " and ") + ")", at: map.keyLocation, path: map.path)
            }
        }
        map.finish()
        return credentials
    }

    /// `timeout`, `rate_limit` and `ca_file`, shared by providers and generic systems.
    func decodeCallSettings(_ map: MappingReader, timeout: inout Duration, rateLimit: inout RateLimit?, caFile: inout String?) {
        if let node = map.value("timeout"), let value = reader.duration(node, path: join(map.path, "timeout")) {
            if value > .zero && value <= .seconds(120) {
                timeout = value
            } else {
                reader.error("must be between 1ms and 2m", at: node, path: join(map.path, "timeout"))
            }
        }
        if let limit = map.mapping("rate_limit") {
            let rate = limit.integer("requests_per_second", in: 1...100_000, required: true)
            let burst = limit.integer("burst", in: 1...1_000_000) ?? rate
            if let rate, let burst { rateLimit = RateLimit(requestsPerSecond: rate, burst: burst) }
            limit.finish()
        }
        if let node = map.value("ca_file") {
            let path = join(map.path, "ca_file")
            if let file = reader.expanded(node, path: path) {
                if FileSystem.kind(of: file) == .file {
                    caFile = file
                } else {
                    reader.error("no file at \"\(file)\" (a PEM bundle of the CAs to trust)", at: node, path: path)
                }
            }
        }
    }

    private func decodeSystem(_ map: MappingReader, name: String) -> HTTPSystem? {
        let baseURL = map.required("base_url").flatMap { checkedURL($0, path: join(map.path, "base_url"), schemes: ["https", "http"]) }
        var system = HTTPSystem(name: name, baseURL: baseURL ?? "")
        if let credentials = map.mapping("credentials") {
            for entry in credentials.entries {
                guard let key = reader.identifier(entry.keyNode, path: entry.path),
                      let secrets = reader.secrets(entry.value, path: entry.path) else { continue }
                system.credentials[key] = secrets
            }
        }
        if let headers = map.mapping("headers") { system.headers = decodeHeaderTemplates(headers) }
        decodeCallSettings(map, timeout: &system.timeout, rateLimit: &system.rateLimit, caFile: &system.caFile)
        if let operations = map.mapping("operations", required: true) {
            system.operations = named(operations) { name, member in decodeOperation(member, name: name) }
        }
        map.finish()
        return system
    }

    func decodeHeaderTemplates(_ map: MappingReader) -> [String: Template] {
        var headers: [String: Template] = [:]
        for entry in map.entries {
            let valid = !entry.key.isEmpty && entry.key.utf8.allSatisfy { $0 > 32 && $0 < 127 && $0 != UInt8(ascii: ":") }
            guard valid else {
                reader.error("\"\(entry.key)\" is not a valid header name", at: entry.keyNode, path: entry.path)
                continue
            }
            if let template = reader.template(entry.value, path: entry.path) { headers[entry.key] = template }
        }
        return headers
    }

    private func decodeOperation(_ map: MappingReader, name: String) -> HTTPOperation? {
        let methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
        let method = map.required("method").flatMap { reader.choice($0, path: join(map.path, "method"), from: methods.map { ($0, $0) }, what: "method") }
        let path = map.template("path", required: true)
        var operation = HTTPOperation(name: name, method: method ?? "GET", path: path ?? (try! Template(parsing: "/")))
        if let headers = map.mapping("headers") { operation.headers = decodeHeaderTemplates(headers) }
        operation.body = map.template("body")
        if let type = map.string("content_type") { operation.contentType = type }
        if let response = map.mapping("response") {
            for entry in response.entries {
                guard let key = reader.identifier(entry.keyNode, path: entry.path),
                      let fieldPath = reader.string(entry.value, path: entry.path) else { continue }
                operation.response[key] = fieldPath
            }
        }
        if let success = map.mapping("success") {
            if let node = success.value("status"), let items = reader.list(node, path: join(success.path, "status")) {
                operation.success.statuses = Set(items.enumerated().compactMap {
                    reader.integer($0.element, path: "\(join(success.path, "status"))[\($0.offset)]", in: 100...599)
                })
            }
            operation.success.field = success.string("field")
            if let node = success.value("equals") { operation.success.equals = json(node) }
            success.finish()
        }
        if let node = map.value("not_found_status"), let items = reader.list(node, path: join(map.path, "not_found_status")) {
            operation.notFoundStatuses = Set(items.enumerated().compactMap {
                reader.integer($0.element, path: "\(join(map.path, "not_found_status"))[\($0.offset)]", in: 100...599)
            })
        }
        map.finish()
        return method == nil || path == nil ? nil : operation
    }

    /// A scalar as the JSON value a response field is compared with.
    private func json(_ node: YAMLNode) -> JSON {
        switch node.value {
        case .bool(let flag)?: return .bool(flag)
        case .int(let number)?: return .int(number)
        case .float(let number)?: return .double(number)
        case .string(let text)?: return .string(text)
        default: return .null
        }
    }
}
