import Model

/// The voice channel's figures for /metrics: turns by kind, and how long a caller waited for the
/// answer to what they said, by path (fast: the flow answered; async: the outcome comes by text).
struct VoiceMetrics: Sendable {
    let registry: MetricsRegistry

    static let answerBuckets: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 6, 8, 10, 12, 15]

    func turn(tenant: String, kind: String) {
        registry.counter("switchboard_voice_turns_total", help: "Voice webhook turns, by tenant and kind.",
                         labels: ["tenant": tenant, "kind": kind]).increment()
    }

    func answered(tenant: String, path: String, seconds: Double) {
        registry.histogram("switchboard_voice_answer_seconds",
                           help: "Time from a caller's speech reaching Switchboard to the TwiML answer, by path.",
                           labels: ["tenant": tenant, "path": path], buckets: Self.answerBuckets).observe(seconds: seconds)
    }
}
