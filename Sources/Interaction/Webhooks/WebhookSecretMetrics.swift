import Model
import Native

/// Which of a tenant's webhook secrets signed each verified webhook, for the operator finishing
/// a rotation: counted in /metrics by the secret's position in the list (never its value or
/// variable), and logged when an older one, not the first, signed. While an older one still
/// signs, the provider uses it and it must stay listed; once only the first does, the others can
/// go.
struct WebhookSecretMetrics: Sendable {
    let registry: MetricsRegistry
    let logger = Logger(label: "webhooks")

    /// `index` is the position (from 0) in `secrets` of the secret that made the signature.
    func signed(tenant: String, source: WebhookSource, index: Int, of secrets: SecretSet) {
        registry.counter("switchboard_webhook_signatures_total",
                         help: "Verified webhooks, by tenant, source, the position of the secret that signed (1 is the first listed) "
                             + "and how many are listed.",
                         labels: ["tenant": tenant, "source": source.rawValue, "secret": String(index + 1),
                                  "listed": String(secrets.count)]).increment()
        guard index > 0 else { return }
        logger.info("webhook signed with an older secret: \(source.rawValue) still signs with \(secrets.position(of: index)); "
                    + "keep it listed until only the first signs, then remove it to finish the rotation",
                    ["tenant": .string(tenant), "source": .string(source.rawValue), "secret": .int(Int64(index + 1)),
                     "listed": .int(Int64(secrets.count))])
    }
}
