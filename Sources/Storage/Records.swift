import Model
import Native

/// An interaction and where its execution stands.
public struct InteractionRecord: Sendable, Equatable {
    public var interaction: Interaction
    public var status: InteractionStatus
    public var flow: String?
    /// The next state to run (or the state waiting for a reply or approval).
    public var state: String?
    /// The tenant configuration version the execution started with.
    public var configVersion: String?
    /// Everything the steps have put in the context so far.
    public var context: JSONObject
    /// Why it failed, is dead, or is waiting.
    public var reason: String?
    /// Execution attempts (a restart after a crash or a retry adds one).
    public var attempts: Int
    /// When a retry or a timeout is due (Unix ms).
    public var wakeAt: Int64?
    public var createdAt: Int64
    public var updatedAt: Int64
    /// SHA-256 of the request body when it came with an Idempotency-Key.
    public var requestHash: String?

    public init(interaction: Interaction, status: InteractionStatus = .accepted, flow: String? = nil, state: String? = nil,
                configVersion: String? = nil, context: JSONObject = [:], reason: String? = nil, attempts: Int = 0,
                wakeAt: Int64? = nil, createdAt: Int64, updatedAt: Int64, requestHash: String? = nil) {
        self.interaction = interaction
        self.status = status
        self.flow = flow
        self.state = state
        self.configVersion = configVersion
        self.context = context
        self.reason = reason
        self.attempts = attempts
        self.wakeAt = wakeAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.requestHash = requestHash
    }

    public var id: InteractionID { interaction.id }
    public var tenant: String { interaction.tenant }
}

/// One journaled step of an execution.
public struct StepRecord: Sendable, Equatable {
    public var sequence: Int
    public var state: String
    public var agent: String
    /// nil while the step waits (for a reply or an approval): it completes in a later record.
    public var outcome: Outcome?
    /// Unix ms.
    public var startedAt: Int64
    public var durationMicros: Int64
    /// Decision and reasons, context delta, effects, provider calls, messages (see the engine).
    public var detail: JSON

    public init(sequence: Int, state: String, agent: String, outcome: Outcome?, startedAt: Int64,
                durationMicros: Int64, detail: JSON) {
        self.sequence = sequence
        self.state = state
        self.agent = agent
        self.outcome = outcome
        self.startedAt = startedAt
        self.durationMicros = durationMicros
        self.detail = detail
    }
}

/// A side effect's journal entry: the intent is written before the call to a provider that has no
/// idempotency key, and completed after, so a crash in between leaves the effect visibly in doubt.
public struct EffectRecord: Sendable, Equatable {
    public enum State: String, Sendable {
        case intended, done, failed
    }

    /// Derived from (interaction, step, effect).
    public var key: String
    public var interactionID: InteractionID
    public var provider: String
    public var operation: String
    public var state: State
    public var result: JSON

    public init(key: String, interactionID: InteractionID, provider: String, operation: String, state: State, result: JSON = .null) {
        self.key = key
        self.interactionID = interactionID
        self.provider = provider
        self.operation = operation
        self.state = state
        self.result = result
    }
}

/// What accepting an interaction did.
public enum AcceptResult: Sendable {
    /// Stored now.
    case accepted(InteractionRecord)
    /// The same Idempotency-Key (or webhook event id) with the same body was stored before: this
    /// is that record.
    case replay(InteractionRecord)
    /// The same Idempotency-Key came before with a different body.
    case keyReused(InteractionRecord)
}

/// A page of interactions, newest first.
public struct InteractionPage: Sendable {
    public var records: [InteractionRecord]
    /// Pass back to get the next (older) page; nil on the last page.
    public var nextCursor: String?

    public init(records: [InteractionRecord], nextCursor: String?) {
        self.records = records
        self.nextCursor = nextCursor
    }

    /// A page from up to `limit + 1` records fetched newest first: the one past `limit` only
    /// says that there is a next page.
    init(fetched: [InteractionRecord], limit: Int) {
        guard fetched.count > limit else {
            self.init(records: fetched, nextCursor: nil)
            return
        }
        let page = Array(fetched.prefix(limit))
        self.init(records: page, nextCursor: page.last?.id.rawValue)
    }
}

/// What changes about an interaction when a step completes or its status moves.
public struct InteractionUpdate: Sendable {
    public var status: InteractionStatus
    public var flow: String?
    public var state: String?
    public var configVersion: String?
    public var context: JSONObject?
    public var reason: String?
    public var attempts: Int?
    public var wakeAt: Int64?
    /// When the change happened (Unix ms): the interaction's `updated_at` once written, so the
    /// record an execution returns says the same as the journal.
    public var at: Int64

    public init(status: InteractionStatus, flow: String? = nil, state: String? = nil, configVersion: String? = nil,
                context: JSONObject? = nil, reason: String? = nil, attempts: Int? = nil, wakeAt: Int64? = nil,
                at: Int64 = Clock.unixMillis()) {
        self.status = status
        self.flow = flow
        self.state = state
        self.configVersion = configVersion
        self.context = context
        self.reason = reason
        self.attempts = attempts
        self.wakeAt = wakeAt
        self.at = at
    }

    /// The service of the booking the context holds, stored beside it for `bookings(…)`.
    var bookedService: String? { bookedStart == nil ? nil : context?["service"]?["id"]?.stringValue }
    /// The start (ISO 8601 UTC) of the booking the context holds.
    var bookedStart: String? { context?["booking"]?["start"]?.stringValue }
}
