import Model

/// Where the engine finds a tenant's current configuration.
public protocol TenantLookup: Sendable {
    func snapshot(for tenant: TenantID) -> TenantSnapshot?
}

/// A fixed set of tenants (tests, dry runs, `what-if`).
public struct StaticTenants: TenantLookup {
    private let snapshots: [TenantID: TenantSnapshot]

    public init(_ snapshots: [TenantSnapshot]) {
        self.snapshots = Dictionary(snapshots.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
    }

    public func snapshot(for tenant: TenantID) -> TenantSnapshot? { snapshots[tenant] }
}
