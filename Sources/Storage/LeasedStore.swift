import Model

/// A store several Switchboard nodes share. Every unfinished interaction a node runs is leased to
/// it: `accept` leases the new interaction to the accepting node, `due` and `claim` lease what
/// they return. Writes about an interaction (`commit`, `commitSoon`) succeed only for the node
/// holding its lease, and a parked or finished interaction is released by the write that parks
/// or ends it. A node's leases last as long as its heartbeat; when it dies, other nodes' `due`
/// picks its work up once the lease has run out.
public protocol LeasedStore: InteractionStore {
    /// This node's name in leases (and in traces).
    var node: String { get }

    /// False while the database is out of reach (this node's heartbeat fails): for readiness.
    var isReachable: Bool { get }

    /// Gives up this node's lease on `id`, which it will not run after all (another node may take
    /// it at once).
    func release(tenant: String, id: InteractionID) async throws(StoreError)

    /// Ends this node's heartbeat and expires its lease: every interaction it holds may be taken
    /// by another node at once (a graceful stop).
    func resign() async throws(StoreError)
}
