import Agents
import Integration

/// How the engine runs executions.
public struct EngineOptions: Sendable {
    /// A step failing without an `error` transition is tried this many times before the
    /// interaction is `dead`.
    public var maxAttempts = 5
    /// The first retry waits this long; each further one twice as long (with jitter), capped.
    public var retryBaseSeconds = 5.0
    public var retryCapSeconds = 600.0
    /// How often the scheduler looks for due retries, timeouts and unfinished work.
    public var schedulerIntervalMillis = 250
    /// Executions running at once across all tenants (each tenant also has its own cap).
    public var maxConcurrentExecutions = 1024
    /// Switchboard's public base URL (payment return pages, status callbacks).
    public var publicURL = "http://127.0.0.1:8080"
    /// How long a customer's next message continues a conversation after a question, at most.
    public var conversationGraceSeconds: Int64 = 60

    /// A model-based intent classifier for `intent.classify`, if one is configured.
    public var classifier: (any IntentClassifier)?

    /// The time agents decide with (`StepInput.now`).
    public var clock: DecisionClock = .system
    /// Replaces a tenant's providers before use (dry runs point them at a sandbox, what-if
    /// replays answer from recordings). Every provider is then wrapped to record its answers.
    public var decorateProviders: (@Sendable (TenantProviders, TenantSnapshot) -> TenantProviders)?

    public init() {}
}
