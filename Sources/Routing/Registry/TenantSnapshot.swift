import Model

/// One validated version of a tenant's configuration, immutable once published.
///
/// An execution takes the snapshot when it starts and keeps it to the end; a reload publishes a
/// new snapshot and leaves running executions on theirs. `version` goes into the trace.
public final class TenantSnapshot: Sendable {
    public let config: TenantConfig
    /// A hash of the file's bytes: the same text always has the same version.
    public let version: String
    /// When this version was loaded, in Unix milliseconds.
    public let loadedAtMillis: Int64
    /// The file it came from.
    public let source: String
    /// Where the file sets `tenant.id`, for duplicate-id messages.
    public let idLocation: SourceLocation

    public init(config: TenantConfig, version: String, loadedAtMillis: Int64, source: String, idLocation: SourceLocation) {
        self.config = config
        self.version = version
        self.loadedAtMillis = loadedAtMillis
        self.source = source
        self.idLocation = idLocation
    }

    public var id: TenantID { config.id }
}
