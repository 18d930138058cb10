import Model

/// The /metrics series of one (tenant, provider): created once per pair, then updated lock-free.
final class ProviderMetrics: Sendable {
    let attemptDuration: Histogram
    let retries: Counter
    let budgetExhausted: Counter
    let breakerState: Gauge
    let breakerRejections: Counter
    let rateLimitWaits: Counter
    let rateLimitWaitSeconds: Histogram
    private let calls: [String: Counter]
    private let errors: [ProviderError.Kind: Counter]

    init(registry: MetricsRegistry, tenant: String, provider: String) {
        let labels: Labels = ["tenant": tenant, "provider": provider]
        attemptDuration = registry.histogram("switchboard_provider_call_duration_seconds",
                                             help: "Time of one attempt of a provider call, until its response or failure.", labels: labels)
        retries = registry.counter("switchboard_provider_retries_total", help: "Attempts made after a failed first attempt.", labels: labels)
        budgetExhausted = registry.counter("switchboard_provider_retry_budget_exhausted_total",
                                           help: "Retries not made because the retry budget was spent.", labels: labels)
        breakerState = registry.gauge("switchboard_provider_breaker_state",
                                      help: "Circuit breaker state: 0 closed, 1 open, 2 half-open.", labels: labels)
        breakerRejections = registry.counter("switchboard_provider_breaker_rejections_total",
                                             help: "Calls refused without reaching the provider because the circuit was open.", labels: labels)
        rateLimitWaits = registry.counter("switchboard_provider_rate_limit_waits_total",
                                          help: "Calls that waited for the token bucket or a provider's Retry-After.", labels: labels)
        rateLimitWaitSeconds = registry.histogram("switchboard_provider_rate_limit_wait_seconds",
                                                  help: "Time calls waited for the rate limit.", labels: labels)
        var calls: [String: Counter] = [:]
        for outcome in ["ok"] + ProviderError.Kind.allCases.map(\.rawValue) {
            calls[outcome] = registry.counter("switchboard_provider_calls_total", help: "Provider calls by outcome (after retries).",
                                              labels: labels.adding("outcome", outcome))
        }
        self.calls = calls
        var errors: [ProviderError.Kind: Counter] = [:]
        for kind in ProviderError.Kind.allCases {
            errors[kind] = registry.counter("switchboard_provider_errors_total", help: "Failed attempts by error kind.",
                                            labels: labels.adding("kind", kind.rawValue))
        }
        self.errors = errors
    }

    func countCall(_ error: ProviderError.Kind?) {
        calls[error?.rawValue ?? "ok"]?.increment()
    }

    func countError(_ kind: ProviderError.Kind) {
        errors[kind]?.increment()
    }
}
