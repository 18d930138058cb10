import Model

/// A stateless step of a flow: it reads the execution context and its parameters, may call
/// providers, and reports an outcome, what it adds to the context, and why.
///
/// Agents never write to the store themselves: effects that must not happen twice go through
/// `StepInput.effects`, and everything else they did is in the `StepResult` the engine journals.
public protocol Agent: Sendable {
    /// The catalogue name, such as `decide.slot`.
    var name: String { get }
    /// True when the agent changes something outside Switchboard (books, charges, texts): the
    /// engine journals everything before running it.
    var hasEffects: Bool { get }

    func run(_ input: StepInput) async -> StepResult
}

/// What a step reports.
public struct StepResult: Sendable {
    public var outcome: Outcome
    /// Keys to set in the context, by namespace (`["slot": ["start": ..., "end": ...]]`).
    public var delta: JSONObject
    /// The decision in words and its reasons, for the trace and the operator.
    public var decision: Decision
    /// Messages sent to the customer or operator in this step.
    public var messages: [SentMessageRecord]
    /// When set, the interaction waits (for a reply or an approval) after this step.
    public var park: Park?
    /// Set by a compensation: what it undid, for the failure messages (`compensation.*`).
    public var undone: Undo?

    public init(outcome: Outcome, delta: JSONObject = [:], decision: Decision, messages: [SentMessageRecord] = [],
                park: Park? = nil, undone: Undo? = nil) {
        self.outcome = outcome
        self.delta = delta
        self.decision = decision
        self.messages = messages
        self.park = park
        self.undone = undone
    }

    public static func ok(_ summary: String, reasons: [String] = [], delta: JSONObject = [:]) -> StepResult {
        StepResult(outcome: .ok, delta: delta, decision: Decision(summary, reasons: reasons))
    }

    public static func outcome(_ outcome: Outcome, _ summary: String, reasons: [String] = [], delta: JSONObject = [:]) -> StepResult {
        StepResult(outcome: outcome, delta: delta, decision: Decision(summary, reasons: reasons))
    }

    /// A failure talking to a provider, after the runtime's retries.
    public static func failure(_ summary: String, error: any Error) -> StepResult {
        StepResult(outcome: .error, decision: Decision(summary, reasons: [ProviderFailure.describe(error)],
                                                        errorKind: ProviderFailure.kind(of: error)))
    }
}

/// A decision and the reasons for it.
public struct Decision: Sendable, Equatable {
    public var summary: String
    public var reasons: [String]
    /// For failures: the provider error kind (`retryable`, `rate_limited`, `auth`, ...).
    public var errorKind: String?

    public init(_ summary: String, reasons: [String] = [], errorKind: String? = nil) {
        self.summary = summary
        self.reasons = reasons
        self.errorKind = errorKind
    }

    public var json: JSON {
        var object: JSONObject = ["summary": .string(summary), "reasons": .array(reasons.map { .string($0) })]
        if let errorKind { object["error_kind"] = .string(errorKind) }
        return .object(object)
    }
}

/// A message a step sent, for the trace.
public struct SentMessageRecord: Sendable, Equatable {
    public enum Audience: String, Sendable { case customer, `operator` }

    public var audience: Audience
    public var channel: String
    public var to: String?
    public var text: String
    /// The provider's id for it (`SM...`), or nil.
    public var providerID: String?
    /// True when a crash left it unknown whether the provider sent it (not repeated).
    public var inDoubt: Bool
    /// Channels tried before `channel`, each with why it failed (operator messages).
    public var failedChannels: [ChannelFailure]

    /// A channel a message could not be sent on.
    public struct ChannelFailure: Sendable, Equatable {
        public var channel: String
        public var reason: String

        public init(channel: String, reason: String) {
            self.channel = channel
            self.reason = reason
        }

        public var json: JSON { ["channel": .string(channel), "reason": .string(reason)] }
    }

    public init(audience: Audience, channel: String, to: String?, text: String, providerID: String?, inDoubt: Bool = false,
                failedChannels: [ChannelFailure] = []) {
        self.audience = audience
        self.channel = channel
        self.to = to
        self.text = text
        self.providerID = providerID
        self.inDoubt = inDoubt
        self.failedChannels = failedChannels
    }

    public var json: JSON {
        var object: JSONObject = ["audience": .string(audience.rawValue), "channel": .string(channel), "text": .string(text)]
        if let to { object["to"] = .string(to) }
        if let providerID { object["provider_id"] = .string(providerID) }
        if inDoubt { object["in_doubt"] = true }
        if !failedChannels.isEmpty { object["failed_channels"] = .array(failedChannels.map(\.json)) }
        return .object(object)
    }
}

/// Why an interaction stops after a step until something outside happens.
public enum Park: Sendable, Equatable {
    /// The customer was asked something; their next message continues the flow.
    case awaitingReply(timeoutSeconds: Int64)
    /// An operator must approve or reject.
    case awaitingApproval(policy: String, timeoutSeconds: Int64?)
}
