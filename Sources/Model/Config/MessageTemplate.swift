/// A named message: who it is for, its text and, for email, its subject; for callers, its spoken form.
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
    /// Customer templates only: what a caller still on the line hears instead of `text` (no
    /// links, numbers said as words). Without it the text is spoken with its links left to the
    /// copy sent by SMS (`SpokenText`).
    public var say: Template?

    public init(name: String, audience: Audience, subject: Template? = nil, text: Template, say: Template? = nil) {
        self.name = name
        self.audience = audience
        self.subject = subject
        self.text = text
        self.say = say
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
