import Model
import Synchronization

/// Request counters and latency histograms by route and status, sharded per event loop so that
/// loops never write the same cache lines; `/metrics` sums the shards.
final class HTTPServerMetrics: Sendable {
    static let statusSlots = 500  // codes 100...599
    static let bucketBounds: [Double] = Histogram.latencyBuckets
    private static let boundsNanos: [UInt64] = bucketBounds.map { UInt64($0 * 1e9) }

    final class Shard: Sendable {
        let requests: AtomicArray      // (route + 1) × statusSlots
        let buckets: AtomicArray       // (route + 1) × (bounds + 1)
        let sumMicros: AtomicArray     // route + 1
        let openConnections = Atomic<Int>(0)

        init(routeSlots: Int) {
            requests = AtomicArray(count: routeSlots * HTTPServerMetrics.statusSlots)
            buckets = AtomicArray(count: routeSlots * (HTTPServerMetrics.bucketBounds.count + 1))
            sumMicros = AtomicArray(count: routeSlots)
        }

        /// Records one response; `route` is the route index or the "unmatched" slot.
        @inline(__always)
        func record(route: Int, status: Int, elapsedNanos: UInt64) {
            let slot = (100..<600).contains(status) ? status - 100 : HTTPServerMetrics.statusSlots - 1
            requests.add(route * HTTPServerMetrics.statusSlots + slot, 1)
            var bucket = HTTPServerMetrics.boundsNanos.count
            for (i, bound) in HTTPServerMetrics.boundsNanos.enumerated() where elapsedNanos <= bound {
                bucket = i
                break
            }
            buckets.add(route * (HTTPServerMetrics.bucketBounds.count + 1) + bucket, 1)
            sumMicros.add(route, Int(elapsedNanos / 1000))
        }
    }

    let routeNames: [String]
    let shards: [Shard]
    let inFlight = Atomic<Int>(0)
    let connections = Atomic<Int>(0)
    let rejectedOverload = Atomic<Int>(0)

    /// The slot for requests that matched no route.
    var unmatchedRoute: Int { routeNames.count - 1 }

    init(routes: [String], loops: Int) {
        routeNames = routes + ["unmatched"]
        shards = (0..<loops).map { _ in Shard(routeSlots: routes.count + 1) }
    }

    func write(into writer: inout PrometheusWriter) {
        writer.family("switchboard_http_requests_total", help: "HTTP requests answered, by route and status.", kind: .counter)
        for (route, name) in routeNames.enumerated() {
            for slot in 0..<HTTPServerMetrics.statusSlots {
                let total = shards.reduce(0) { $0 + $1.requests.load(route * HTTPServerMetrics.statusSlots + slot) }
                guard total > 0 else { continue }
                writer.sample("switchboard_http_requests_total", labels: ["route": name, "status": String(slot + 100)], value: total)
            }
        }
        writer.family("switchboard_http_request_duration_seconds",
                      help: "Time from a complete request head to its response being queued for sending.", kind: .histogram)
        let bucketCount = HTTPServerMetrics.bucketBounds.count + 1
        for (route, name) in routeNames.enumerated() {
            let counts = (0..<bucketCount).map { b in shards.reduce(0) { $0 + $1.buckets.load(route * bucketCount + b) } }
            guard counts.contains(where: { $0 > 0 }) else { continue }
            let sum = Double(shards.reduce(0) { $0 + $1.sumMicros.load(route) }) / 1_000_000
            writer.histogram("switchboard_http_request_duration_seconds", labels: ["route": name],
                             bounds: HTTPServerMetrics.bucketBounds, bucketCounts: counts, sum: sum)
        }
        writer.family("switchboard_http_open_connections", help: "Open client connections.", kind: .gauge)
        writer.sample("switchboard_http_open_connections", labels: Labels(), value: connections.load(ordering: .relaxed))
        writer.family("switchboard_http_requests_in_flight", help: "Requests whose handler is still running.", kind: .gauge)
        writer.sample("switchboard_http_requests_in_flight", labels: Labels(), value: inFlight.load(ordering: .relaxed))
        writer.family("switchboard_http_overload_rejections_total",
                      help: "Requests answered 503 because too much work was in flight.", kind: .counter)
        writer.sample("switchboard_http_overload_rejections_total", labels: Labels(), value: rejectedOverload.load(ordering: .relaxed))
    }
}
