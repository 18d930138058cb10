import Model
import Native

/// Decodes a tenant file's YAML tree into `TenantConfig`, section by section, reporting every
/// problem it meets. Where a value is wrong it substitutes a neutral one and carries on, so the
/// validators after it still see the rest of the file; a file with any problem is never used.
final class TenantFileDecoder {
    let reader: ConfigReader
    /// The tenant's currency, which every amount in the file is in.
    var currency: Currency = .usd
    /// The ids of the services decoded so far.
    var serviceIDs: [String] = []
    /// Where each request field was declared, so a second declaration is reported.
    var declaredFields: [String: SourceLocation] = [:]
    /// The tenant's request fields, for services' price tables and add-ons.
    var tenantFields: [RequestField] = []
    /// What conditions may read; complete once services are decoded.
    var conditionKeys = ConditionKeys(types: AgentCatalog.conditionKeys, namespaces: AgentCatalog.conditionNamespaces, currency: .usd)

    init(reader: ConfigReader) { self.reader = reader }

    static let topLevelKeys = ["tenant", "access", "channels", "integrations", "fields", "services", "pricing", "approvals",
                               "templates", "flows", "deadlines"]

    func decode(_ root: YAMLNode) -> TenantConfig {
        guard let top = reader.mapping(root, path: "") else { return TenantConfig(identity: Self.placeholderIdentity) }
        if root.value == .null {
            reader.error("the file is empty: a tenant file starts with a `tenant:` section", at: root, path: "")
        }
        let identity = top.mapping("tenant", required: true).map(decodeIdentity) ?? Self.placeholderIdentity
        var config = TenantConfig(identity: identity)
        if let access = top.mapping("access") { config.access = decodeAccess(access) }
        if let channels = top.mapping("channels") { config.channels = decodeChannels(channels) }
        if let integrations = top.mapping("integrations") { config.integrations = decodeIntegrations(integrations) }
        if let fields = top.mapping("fields") { config.fields = decodeFields(fields, service: nil) }
        tenantFields = config.fields
        if let services = top.value("services") { config.services = decodeServices(services, path: "services") }
        serviceIDs = config.services.map(\.id)
        conditionKeys = makeConditionKeys(fields: config.fields, services: config.services)
        reader.conditionKeys = conditionKeys
        if let pricing = top.mapping("pricing") { config.pricing = decodePricing(pricing) }
        if let approvals = top.mapping("approvals") { config.approvals = decodeApprovals(approvals) }
        if let templates = top.mapping("templates") { config.templates = decodeTemplates(templates) }
        if let flows = top.mapping("flows") { config.flows = decodeFlows(flows) }
        if let deadlines = top.mapping("deadlines") { config.deadlines = decodeDeadlines(deadlines) }
        top.finish(allowExtensions: true)
        return config
    }

    static let placeholderIdentity = TenantIdentity(id: "invalid", name: "", timeZone: .utc, currency: .usd)

    func decodeDeadlines(_ map: MappingReader) -> Deadlines {
        var deadlines = Deadlines()
        if let interaction = map.duration("interaction") { deadlines.interaction = interaction }
        if let step = map.duration("step") { deadlines.step = step }
        map.finish()
        return deadlines
    }

    /// Reads `key: value` entries whose keys are ids the file chooses.
    func named<T>(_ map: MappingReader, _ decode: (String, MappingReader) -> T?) -> [String: T] {
        var result: [String: T] = [:]
        for entry in map.entries {
            guard let name = reader.identifier(entry.keyNode, path: entry.path) else { continue }
            reader.index.declared.insert(entry.path)
            guard let member = reader.mapping(entry.value, path: entry.path),
                  let value = decode(name, member) else { continue }
            result[name] = value
        }
        return result
    }
}
