import Model

/// The durable journal: interactions, their steps, effects and conversations.
///
/// Every method is scoped by tenant; an id from one tenant never reaches another's data. Writes
/// return only once durable (committed and synced).
public protocol InteractionStore: Sendable {
    /// Stores a new interaction, or finds the one an Idempotency-Key or webhook event id already
    /// names.
    func accept(_ interaction: Interaction, requestHash: String?) async throws(StoreError) -> AcceptResult

    func interaction(tenant: String, id: InteractionID) async throws(StoreError) -> InteractionRecord?

    /// The interaction an `Idempotency-Key` (or a webhook event id) names on a channel.
    func interaction(tenant: String, channel: Channel, idempotencyKey: String) async throws(StoreError) -> InteractionRecord?

    /// Newest first; `status` filters, `since` (Unix ms) bounds by creation time.
    func interactions(tenant: String, status: InteractionStatus?, since: Int64?, customer: String?,
                      limit: Int, cursor: String?) async throws(StoreError) -> InteractionPage

    func steps(tenant: String, id: InteractionID) async throws(StoreError) -> [StepRecord]

    /// Journals steps and effect records and moves the interaction, in one transaction.
    func commit(steps: [StepRecord], effects: [EffectRecord], tenant: String, id: InteractionID,
                update: InteractionUpdate?) async throws(StoreError)

    /// Queues the same commit without waiting for it. Writes are applied in the order they are
    /// queued, so a later awaited write makes this one durable too; a failure is logged.
    func commitSoon(steps: [StepRecord], effects: [EffectRecord], tenant: String, id: InteractionID, update: InteractionUpdate?)

    /// Merges `delta` into an interaction's annotations: facts other interactions learned about
    /// it (a payment arrived, a refund was made), kept apart from its own context so its running
    /// execution cannot overwrite them. Reads return context and annotations merged.
    func annotate(tenant: String, id: InteractionID, with delta: JSONObject) async throws(StoreError)

    /// Interactions whose time has come: retries and reply and approval timeouts; with
    /// `includeUnfinished`, also accepted and running ones (work left by a crash).
    ///
    /// A store several nodes share (`LeasedStore`) leases every record it returns to this node,
    /// leaves out those another live node holds, and also returns, at every call, the accepted
    /// and running ones whose node died.
    func due(now: Int64, limit: Int, includeUnfinished: Bool) async throws(StoreError) -> [InteractionRecord]

    /// Takes `id` for this node to run and returns its record as it now stands; nil when there is
    /// no such interaction, or another live node holds it. A store only one node uses has
    /// nothing to take and returns the record.
    func claim(tenant: String, id: InteractionID) async throws(StoreError) -> InteractionRecord?

    func effect(tenant: String, key: String) async throws(StoreError) -> EffectRecord?

    /// How many of the tenant's interactions hold a booking of `service` starting in [from, to)
    /// (Unix seconds) that was not cancelled: for a service's `max_per_day`.
    func bookings(tenant: String, service: String, from: Int64, to: Int64) async throws(StoreError) -> Int

    /// Marks `id` as the interaction a customer's next message continues, until `expiresAt`.
    func openConversation(tenant: String, customer: String, id: InteractionID, expiresAt: Int64) async throws(StoreError)
    /// The open conversation for a customer, if one has not expired.
    func conversation(tenant: String, customer: String, now: Int64) async throws(StoreError) -> InteractionID?
    func closeConversation(tenant: String, customer: String, id: InteractionID) async throws(StoreError)

    /// Appends to the tenant's audit log; returns the entry with its sequence.
    @discardableResult
    func audit(_ entry: AuditEntry) async throws(StoreError) -> AuditEntry
    /// The tenant's audit log, newest first: entries before `before` (a sequence), only `action`
    /// when given.
    func auditLog(tenant: String, action: AuditEntry.Action?, before: Int64?, limit: Int) async throws(StoreError) -> [AuditEntry]

    /// The tenant's figures for interactions received since `since` (Unix ms): counts by status,
    /// resolution time percentiles, provider calls and errors.
    func stats(tenant: String, since: Int64) async throws(StoreError) -> TenantStats
    /// The tenant's unfinished interactions by status, with the oldest one's receipt time.
    func unfinished(tenant: String) async throws(StoreError) -> [UnfinishedFigures]

    /// What retention may retire, oldest first: the tenant's interactions received before
    /// `before` (Unix ms) that ended `completed`, `failed` or `ignored` and hold no booking
    /// starting after that time. `dead` ones wait for an operator and are never retired.
    func retirable(tenant: String, before: Int64, limit: Int) async throws(StoreError) -> [InteractionRecord]

    /// Deletes these interactions, their steps and effects, in one transaction, and counts each
    /// in `retired_days` by the day it was received and the status it ended in. One that is no
    /// longer retirable (replayed meanwhile) is left alone. Also drops the tenant's expired
    /// conversations. Returns how many interactions were deleted.
    func retire(tenant: String, ids: [InteractionID]) async throws(StoreError) -> Int
}

extension InteractionStore {
    /// Journals one step (or none) and moves the interaction.
    public func commit(step: StepRecord?, tenant: String, id: InteractionID, update: InteractionUpdate) async throws(StoreError) {
        try await commit(steps: step.map { [$0] } ?? [], effects: [], tenant: tenant, id: id, update: update)
    }

    public func record(effect: EffectRecord, tenant: String) async throws(StoreError) {
        try await commit(steps: [], effects: [effect], tenant: tenant, id: effect.interactionID, update: nil)
    }
}
