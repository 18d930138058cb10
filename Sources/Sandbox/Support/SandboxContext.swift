import Synchronization

/// What every simulated provider shares: faults, webhook targets, the outbox, and the sandbox's
/// own base URL (known once the server has bound its port).
final class SandboxContext: Sendable {
    let faults: FaultInjector
    let webhooks: WebhookSender
    let outbox = Outbox()
    private let base = Mutex<String>("http://127.0.0.1")

    init(faults: FaultInjector, webhooks: WebhookSender) {
        self.faults = faults
        self.webhooks = webhooks
    }

    var baseURL: String { base.withLock { $0 } }

    func setBaseURL(_ url: String) { base.withLock { $0 = url } }
}
