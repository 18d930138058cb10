/// A named message: who it is for, its text and, for email, its subject.
public struct MessageTemplate: Sendable, Hashable {
    public enum Audience: String, Sendable, Hashable, CaseIterable {
        /// Sent to the customer by `notify.customer` or `conversation.ask`.
        case customer
        /// Sent to the operator by `notify.operator` or `approval.request`.
        case `operator`
        /// Written to the system of record by `crm.note`.
        case crm
    }

    public var name: String
    public var audience: Audience
    /// Email only; SMS ignores it.
    public var subject: Template?
    public var text: Template

    public init(name: String, audience: Audience, subject: Template? = nil, text: Template) {
        self.name = name
        self.audience = audience
        self.subject = subject
        self.text = text
    }
}

/// How long things may take.
public struct Deadlines: Sendable, Hashable {
    /// From acceptance to a final state, not counting time parked awaiting an approval or a
    /// customer's reply (those have their own timeouts).
    public var interaction: Duration
    /// One step, unless the state sets its own `timeout`.
    public var step: Duration

    public init(interaction: Duration = .seconds(15 * 60), step: Duration = .seconds(30)) {
        self.interaction = interaction
        self.step = step
    }
}
