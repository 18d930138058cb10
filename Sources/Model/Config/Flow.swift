/// A named state machine: where it starts, what each state runs, where each outcome leads, and
/// which interactions start it.
///
/// Every state is either a step (an agent with parameters and a transition for every outcome
/// the agent can report) or final (`completed` or `failed`). The loader guarantees the
/// transitions are complete and every target exists, so `next(after:outcome:)` never fails for
/// an outcome the agent lists; a step that overruns its timeout reports `timeout` if its agent
/// lists that outcome and `error` otherwise.
public struct Flow: Sendable, Hashable {
    public var name: String
    public var start: String
    public var states: [String: FlowState]
    public var serves: FlowTriggers
    /// Overrides the tenant's interaction deadline for this flow.
    public var deadline: Duration?

    public init(name: String, start: String, states: [String: FlowState], serves: FlowTriggers, deadline: Duration? = nil) {
        self.name = name
        self.start = start
        self.states = states
        self.serves = serves
        self.deadline = deadline
    }

    /// The state `outcome` of `state` leads to.
    public func next(after state: String, outcome: Outcome) -> String? {
        guard case .step(let step)? = states[state]?.kind else { return nil }
        return step.transitions[outcome]
    }
}

/// One state of a flow.
public struct FlowState: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case step(FlowStep)
        /// Chooses the next state by conditions over the context; runs no agent.
        case branch(FlowBranch)
        case final(FinalState)
    }

    public var name: String
    public var kind: Kind

    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }

    public var step: FlowStep? {
        if case .step(let step) = kind { return step }
        return nil
    }

    public var final: FinalState? {
        if case .final(let final) = kind { return final }
        return nil
    }

    public var branch: FlowBranch? {
        if case .branch(let branch) = kind { return branch }
        return nil
    }
}

/// A routing state: the first case whose condition holds names the next state, else `otherwise`.
public struct FlowBranch: Sendable, Hashable {
    public struct Case: Sendable, Hashable {
        public var condition: ConditionExpression
        public var target: String

        public init(condition: ConditionExpression, target: String) {
            self.condition = condition
            self.target = target
        }
    }

    public var cases: [Case]
    public var otherwise: String

    public init(cases: [Case], otherwise: String) {
        self.cases = cases
        self.otherwise = otherwise
    }

    /// Every state it can lead to, cases first.
    public var targets: [String] { cases.map(\.target) + [otherwise] }

    /// The next state in `scope`, and the case that chose it (nil: `otherwise`).
    public func next(in scope: some ConditionScope) -> (target: String, chosen: Case?) {
        for branchCase in cases where branchCase.condition.holds(in: scope) { return (branchCase.target, branchCase) }
        return (otherwise, nil)
    }
}

/// A state that runs an agent.
public struct FlowStep: Sendable, Hashable {
    /// A name from `AgentCatalog`: `decide.slot`.
    public var agent: String
    public var parameters: [String: StepParameter]
    /// Every outcome the agent can report, mapped to the next state's name.
    public var transitions: [Outcome: String]
    /// Overrides the tenant's per-step timeout.
    public var timeout: Duration?
    /// Undo actions, run newest step first, when the flow ends in a `failed` state after this
    /// step succeeded (cancel the booking, refund the deposit).
    public var compensation: [CompensationAction]

    public init(agent: String, parameters: [String: StepParameter] = [:], transitions: [Outcome: String],
                timeout: Duration? = nil, compensation: [CompensationAction] = []) {
        self.agent = agent
        self.parameters = parameters
        self.transitions = transitions
        self.timeout = timeout
        self.compensation = compensation
    }
}

/// An agent run to undo a step's effect.
public struct CompensationAction: Sendable, Hashable {
    public var agent: String
    public var parameters: [String: StepParameter]

    public init(agent: String, parameters: [String: StepParameter] = [:]) {
        self.agent = agent
        self.parameters = parameters
    }
}

/// How a flow ends.
public struct FinalState: Sendable, Hashable {
    public var result: FlowResult
    /// Why, for the trace and the operator: `customer declined the alternatives`.
    public var reason: String?

    public init(result: FlowResult, reason: String? = nil) {
        self.result = result
        self.reason = reason
    }
}

public enum FlowResult: String, Sendable, Hashable, CaseIterable {
    /// The work is done: customer confirmed, operator notified, record updated.
    case completed
    /// The work could not be done; both parties were told why.
    case failed
}

/// Which interactions start a flow. A flow serves an event when the event is listed; it serves
/// a channel interaction when the channel is listed and either its `services` include the
/// interaction's service or it lists no services (the channel's default flow).
public struct FlowTriggers: Sendable, Hashable {
    public var channels: Set<InteractionChannel>
    /// `stripe.payment_intent.succeeded`, `calcom.booking_cancelled`, `generic.<type>`.
    public var events: Set<String>
    public var services: Set<String>

    public init(channels: Set<InteractionChannel> = [], events: Set<String> = [], services: Set<String> = []) {
        self.channels = channels
        self.events = events
        self.services = services
    }

    public var isEmpty: Bool { channels.isEmpty && events.isEmpty }

    /// The events normalisers produce; `generic.` events may have any type after the dot.
    public static let knownEvents: [String] = [
        "stripe.payment_intent.succeeded", "stripe.payment_intent.payment_failed", "stripe.checkout.session.completed",
        "stripe.charge.refunded", "calcom.booking_created", "calcom.booking_cancelled", "calcom.booking_rescheduled",
    ]

    public static func isKnownEvent(_ name: String) -> Bool {
        knownEvents.contains(name) || (name.hasPrefix("generic.") && name.count > "generic.".count)
    }
}

/// Where a customer interaction came in.
public enum InteractionChannel: String, Sendable, Hashable, CaseIterable, Comparable {
    case api, sms, voice

    public static func < (lhs: InteractionChannel, rhs: InteractionChannel) -> Bool { lhs.rawValue < rhs.rawValue }
}
