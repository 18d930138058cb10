import Glibc
import Model
import Sandbox

/// Flags that shape the simulated providers, shared by `switchboard sandbox` and `serve --sandbox`.
enum SandboxOptions {
    static let faultFlags: [Flag] = [
        Flag(name: "latency-ms", environment: "SWITCHBOARD_SANDBOX_LATENCY_MS", valueName: "N", help: "latency added to every provider call",
             defaultValue: nil),
        Flag(name: "error-rate", environment: "SWITCHBOARD_SANDBOX_ERROR_RATE", valueName: "R", help: "share of calls answered --error-status (0-1)",
             defaultValue: nil),
        Flag(name: "error-status", environment: nil, valueName: "CODE", help: "status of injected errors", defaultValue: "500"),
        Flag(name: "rate-limit-rate", environment: "SWITCHBOARD_SANDBOX_RATE_LIMIT_RATE", valueName: "R",
             help: "share of calls answered 429 (0-1)", defaultValue: nil),
        Flag(name: "retry-after", environment: nil, valueName: "SECONDS", help: "Retry-After of injected 429s", defaultValue: "1"),
        Flag(name: "faults", environment: "SWITCHBOARD_SANDBOX_FAULTS", valueName: "FILE",
             help: "JSON array of fault rules ({\"path\",\"method\",\"latency_ms\",…})", defaultValue: nil),
        Flag(name: "webhooks", environment: "SWITCHBOARD_SANDBOX_WEBHOOKS", valueName: "FILE",
             help: "JSON array of webhook targets ({\"provider\",\"url\",\"secret\",\"account\",\"number\"})", defaultValue: nil),
    ]

    /// The fault rules and webhook targets the flags describe.
    static func apply(_ parsed: ParsedFlags, to configuration: inout SandboxServer.Configuration) throws {
        let latency = try parsed.int("latency-ms") ?? 0
        let errorRate = try number(parsed, "error-rate") ?? 0
        let rateLimitRate = try number(parsed, "rate-limit-rate") ?? 0
        guard (0...1).contains(errorRate), (0...1).contains(rateLimitRate), latency >= 0 else {
            throw UsageError("--error-rate and --rate-limit-rate must be between 0 and 1, --latency-ms not negative")
        }
        if latency > 0 || errorRate > 0 || rateLimitRate > 0 {
            // Every provider prefix, but not the control endpoints (the echo route is included).
            for prefix in ["/stripe", "/twilio", "/hubspot", "/calcom", "/slack", "/sandbox/echo"] {
                configuration.faults.append(FaultRule(pathPrefix: prefix, latencyMillis: latency, errorRate: errorRate,
                                                      errorStatus: try parsed.int("error-status") ?? 500, rateLimitRate: rateLimitRate,
                                                      retryAfterSeconds: try parsed.int("retry-after") ?? 1))
            }
        }
        if let path = parsed["faults"] {
            for element in try array(path) { configuration.faults.append(try FaultRule(json: element)) }
        }
        if let path = parsed["webhooks"] {
            for element in try array(path) { configuration.webhooks.append(try WebhookTarget(json: element)) }
        }
    }

    private static func number(_ parsed: ParsedFlags, _ name: String) throws -> Double? {
        guard let text = parsed[name] else { return nil }
        guard let value = Double(text) else { throw UsageError("--\(name) expects a number, got '\(text)'") }
        return value
    }

    private static func array(_ path: String) throws -> [JSON] {
        guard let file = fopen(path, "rb") else { throw UsageError("cannot read \(path)") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count <= 0 { break }
            bytes += chunk[..<count]
        }
        do {
            guard let array = try JSONParser.parse(bytes).arrayValue else { throw UsageError("\(path) must hold a JSON array") }
            return array
        } catch let error as JSONError {
            throw UsageError("\(path): \(error)")
        }
    }
}
