import Testing
@testable import Model

struct MetricsRegistryTests {
    @Test func render_countersGaugesHistograms_inTextFormat() {
        let registry = MetricsRegistry()
        registry.counter("jobs_total", help: "Jobs.", labels: ["tenant": "acme"]).increment(by: 3)
        registry.counter("jobs_total", help: "Jobs.", labels: ["tenant": "b\"x"]).increment()
        registry.gauge("queue_depth", help: "Depth.").set(7)
        let histogram = registry.histogram("latency_seconds", help: "Latency.", buckets: [0.1, 1])
        histogram.observe(seconds: 0.05)
        histogram.observe(seconds: 0.5)
        histogram.observe(seconds: 5)
        let text = registry.render()
        #expect(text.contains("# TYPE jobs_total counter\n"))
        #expect(text.contains("jobs_total{tenant=\"acme\"} 3\n"))
        #expect(text.contains("jobs_total{tenant=\"b\\\"x\"} 1\n"))
        #expect(text.contains("queue_depth 7\n"))
        #expect(text.contains("latency_seconds_bucket{le=\"0.1\"} 1\n"))
        #expect(text.contains("latency_seconds_bucket{le=\"1\"} 2\n"))
        #expect(text.contains("latency_seconds_bucket{le=\"+Inf\"} 3\n"))
        #expect(text.contains("latency_seconds_sum 5.55\n"))
        #expect(text.contains("latency_seconds_count 3\n"))
    }

    @Test func register_sameNameAndLabels_returnsTheSameMetric() {
        let registry = MetricsRegistry()
        let a = registry.counter("x_total", help: "X.", labels: ["k": "v"])
        let b = registry.counter("x_total", help: "X.", labels: ["k": "v"])
        #expect(a === b)
    }

    @Test func register_manySeries_keepsEachOnceInRegistrationOrder() {
        let registry = MetricsRegistry()
        let counters = (0..<5_000).map { registry.counter("calls_total", help: "Calls.", labels: ["tenant": "t\($0)"]) }
        #expect(registry.counter("calls_total", help: "Calls.", labels: ["tenant": "t4321"]) === counters[4321])
        counters[7].increment()
        let lines = registry.render().split(separator: "\n").filter { $0.hasPrefix("calls_total{") }
        #expect(lines.count == 5_000)
        #expect(lines.first == "calls_total{tenant=\"t0\"} 0")
        #expect(lines[7] == "calls_total{tenant=\"t7\"} 1")
    }

    @Test func counters_areExactUnderConcurrency() async {
        let counter = MetricsRegistry().counter("c_total", help: "C.")
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { for _ in 0..<10_000 { counter.increment() } } }
        }
        #expect(counter.current == 80_000)
    }
}
