import Glibc
import Model
import Native

/// Reads, decodes and validates tenant files.
///
/// ```swift
/// let loader = TenantConfigLoader(environment: environment)
/// do {
///     let snapshot = try loader.load(path: "tenants/acme-plumbing.yaml")
/// } catch {
///     for diagnostic in error.diagnostics { print(diagnostic) }  // file:line:col: path: message
/// }
/// ```
///
/// `${ENV_VAR}` references resolve against `environment`, never the process environment, so
/// tests and the sandbox can inject values.
public struct TenantConfigLoader: Sendable {
    public var environment: [String: String]
    /// Larger files are refused before parsing.
    public var maxFileBytes = 1 << 20
    public var yamlLimits = YAML.Limits()

    public init(environment: [String: String]) { self.environment = environment }

    /// Loads the file at `path` into a snapshot whose version is a hash of the file's bytes.
    ///
    /// - Throws: `ConfigError` with every problem found (or the one that stopped reading).
    public func load(path: String) throws(ConfigError) -> TenantSnapshot {
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.readFile(path, maxBytes: maxFileBytes)
        } catch {
            let reason = error.errno == EFBIG ? "the file is larger than \(maxFileBytes) bytes" : error.description
            throw ConfigError(file: path, diagnostics: [ConfigDiagnostic(location: SourceLocation(file: path, line: 1, column: 1),
                                                                         path: "", message: "cannot read the file: \(reason)")])
        }
        return try load(bytes: bytes, file: path)
    }

    /// Loads a tenant file's contents; `file` is the name used in locations.
    public func load(bytes: [UInt8], file: String) throws(ConfigError) -> TenantSnapshot {
        let root: YAMLNode
        do {
            root = try YAML.parse(bytes, file: file, limits: yamlLimits)
        } catch {
            let message = error.message + Self.hint(for: error, source: SourceText(bytes: bytes))
            throw ConfigError(file: file, diagnostics: [ConfigDiagnostic(location: error.location, path: "", message: message)])
        }
        let reader = ConfigReader(file: file, environment: environment, source: SourceText(bytes: bytes), root: root)
        let config = TenantFileDecoder(reader: reader).decode(root)
        ReferenceValidator(config: config, index: reader.index, log: reader.log).validate()
        VoiceValidator(config: config, index: reader.index, log: reader.log).validate()
        let graphs = config.flows.mapValues(FlowGraph.init)
        for flow in config.flows.values.sorted(by: { $0.name < $1.name }) {
            FlowValidator(flow: flow, graph: graphs[flow.name]!, index: reader.index, log: reader.log).validate()
        }
        TemplateScopeValidator(config: config, graphs: graphs, index: reader.index, log: reader.log).validate()
        guard reader.log.isEmpty else { throw ConfigError(file: file, diagnostics: reader.log.diagnostics) }
        let idLocation = root["tenant"]?["id"]?.location ?? SourceLocation(file: file, line: 1, column: 1)
        return TenantSnapshot(config: config, version: TenantSnapshot.version(of: bytes), loadedAtMillis: Clock.unixMillis(),
                              source: file, idLocation: idLocation)
    }

    /// What to do about a syntax error libyaml words for YAML experts. The common one: `{` is a
    /// flow indicator, so `[${NEW}, ${OLD}]` is not a list of two references.
    static func hint(for error: YAMLError, source: SourceText) -> String {
        guard error.message.contains("flow"), let line = source.line(error.location.line), line.contains("${") else { return "" }
        return "; inside [ ] a ${VAR} must be quoted, as [\"${NEW}\", \"${OLD}\"], or write one per line (- ${NEW})"
    }
}

extension TenantSnapshot {
    /// The first 16 hex digits of the SHA-256 of a file's bytes.
    static func version(of bytes: [UInt8]) -> String { String(Hex.encode(Crypto.sha256(bytes)).prefix(16)) }
}
