// BenchClient: calls/s through Switchboard's outbound client to a loopback server, for
// scripts/bench-client. It mirrors ../shared/peers/curl-limit: POST of a 300-byte JSON body,
// keep-alive, every response checked (status 200, the body echoed), warm-up before timing.
//
// Usage: BenchClient --url URL [--concurrency N] [--seconds S] [--mode socket-action|poll]
//                    [--layer http|curl] [--expect-echo yes|no] [--executor global|driver] [--drivers N]
import Glibc
import Integration
import Model
import Native

struct Options {
    var url = "http://127.0.0.1:8090/echo"
    var concurrency = 1
    var seconds = 3.0
    var mode = CurlClient.EventMode.socketAction
    var layer = "http"
    var expectEcho = true
    var drivers = CurlClient.Configuration().drivers
    var executor = "global"

    init(_ arguments: [String]) {
        var index = 0
        while index + 1 < arguments.count {
            let value = arguments[index + 1]
            switch arguments[index] {
            case "--url": url = value
            case "--concurrency": concurrency = Int(value) ?? 1
            case "--seconds": seconds = Double(value) ?? 3
            case "--mode": mode = CurlClient.EventMode(rawValue: value) ?? .socketAction
            case "--layer": layer = value
            case "--expect-echo": expectEcho = value == "yes"
            case "--drivers": drivers = Int(value) ?? 1
            case "--executor": executor = value
            default: fatalError("unknown option \(arguments[index])")
            }
            index += 2
        }
    }
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let body: [UInt8] = {
    var text = "{\"tenant\":\"t-0001\",\"event\":\"order.created\",\"data\":\""
    while text.utf8.count < 298 { text += "x" }
    return Array((text + "\"}").utf8)
}()

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

var configuration = CurlClient.Configuration()
configuration.eventMode = options.mode
configuration.drivers = options.drivers
configuration.name = "bench-curl"
let curl = try CurlClient(configuration: configuration)
let client = HTTPClient(curl: curl)
let request = HTTPClient.Request(method: "POST", url: options.url, headers: [("Content-Type", "application/json")], body: body)
let curlRequest = CurlRequest(method: "POST", url: options.url, headers: [("Content-Type", "application/json")], body: body)

/// One call through the chosen layer; returns false when the answer is wrong.
@Sendable func call() async throws -> Bool {
    if options.layer == "curl" {
        let response = try await curl.perform(curlRequest)
        return response.status == 200 && (!options.expectEcho || response.body.count == body.count)
    }
    let response = try await client.send(request)
    return response.status == 200 && (!options.expectEcho || response.body.count == body.count)
}

/// Runs `concurrency` loops of calls until `seconds` pass; returns calls, latencies (µs) and failures.
func run(seconds: Double) async throws -> (calls: Int, latencies: [UInt64], failures: Int) {
    let end = Clock.monotonicNanos() + UInt64(seconds * 1e9)
    return try await withThrowingTaskGroup(of: ([UInt64], Int).self) { group in
        for _ in 0..<options.concurrency {
            group.addTask {
                var latencies: [UInt64] = []
                latencies.reserveCapacity(4096)
                var failures = 0
                while true {
                    let start = Clock.monotonicNanos()
                    if start >= end { break }
                    if !(try await call()) { failures += 1 }
                    latencies.append((Clock.monotonicNanos() - start) / 1000)
                }
                return (latencies, failures)
            }
        }
        var all: [UInt64] = []
        var failures = 0
        for try await (latencies, failed) in group {
            all.append(contentsOf: latencies)
            failures += failed
        }
        return (all.count, all, failures)
    }
}

/// The measurement: on the global pool, or with every task preferring the driver thread.
func measure() async throws -> (calls: Int, latencies: [UInt64], failures: Int, elapsed: Double, cpu: Double) {
    _ = try await run(seconds: min(1, options.seconds / 3))
    let cpuStart = cpuSeconds()
    let wallStart = Clock.monotonicNanos()
    let (calls, latencies, failures) = try await run(seconds: options.seconds)
    return (calls, latencies, failures, Double(Clock.monotonicNanos() - wallStart) / 1e9, cpuSeconds() - cpuStart)
}

var (calls, latencies, failures, elapsed, cpu) = options.executor == "driver"
    ? try await withTaskExecutorPreference(client.taskExecutor) { try await measure() }
    : try await measure()
latencies.sort()
let p50 = latencies.isEmpty ? 0 : latencies[latencies.count / 2]
let p99 = latencies.isEmpty ? 0 : latencies[Int(Double(latencies.count - 1) * 0.99)]
print("layer=\(options.layer) mode=\(options.mode.rawValue) executor=\(options.executor) drivers=\(options.drivers) conc=\(options.concurrency) calls=\(calls) "
      + "seconds=\(String(format3(elapsed))) rps=\(Int(Double(calls) / elapsed)) "
      + "client_cpu_us_per_call=\(format3(cpu * 1e6 / Double(max(calls, 1)))) p50_us=\(p50) p99_us=\(p99) failures=\(failures)")
curl.shutdown()
exit(failures == 0 ? 0 : 1)

func format3(_ value: Double) -> String {
    let scaled = (value * 10).rounded() / 10
    return String(scaled)
}
