import Model
import Native

extension HTTPServer {
    /// Which completed requests the access log writes, and where.
    ///
    /// Each line is one JSON object at info on the `access` logger: method, route template, tenant,
    /// status, response body bytes, duration, request id and the key name a handler attributed the
    /// request to. Never the raw path, a query string, a header value other than the request id,
    /// or a body.
    public struct AccessLog: Sendable {
        public enum Mode: Sendable, Equatable {
            case off
            /// Every request.
            case all
            /// Every request up to this many lines a second across the server, then one in k (k
            /// grows with the load); 4xx, 5xx and slow requests are always written.
            case sampled(linesPerSecond: Int)
        }

        public var mode = Mode.sampled(linesPerSecond: 200)
        /// A request at least this slow is always written.
        public var slowMillis = 1000
        /// Receives each line's fields instead of the `access` logger (tests).
        public var sink: (@Sendable (JSONObject) -> Void)?

        public init(mode: Mode = .sampled(linesPerSecond: 200)) { self.mode = mode }

        /// Reads `on`, `off`, `all` or `sample=N` (lines a second), the `--access-log` flag's forms.
        public init?(flag: String) {
            switch flag.lowercased() {
            case "on": self.init()
            case "off": self.init(mode: .off)
            case "all": self.init(mode: .all)
            default:
                let parts = flag.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0].lowercased() == "sample", let lines = Int(parts[1]),
                      (1...1_000_000).contains(lines)
                else { return nil }
                self.init(mode: .sampled(linesPerSecond: lines))
            }
        }
    }
}

/// What the access log knows of one request when its response is written.
struct AccessLogEntry {
    var method: HTTPMethod?
    /// The matched route's template; nil when nothing matched.
    var route: String?
    var tenant: String?
    var status: Int
    var bytes: Int
    var elapsedNanos: UInt64
    var requestID: String
    var keyName: String?
    /// How many requests this line stands for (1 unless sampled).
    var sampleRate: Int

    var fields: JSONObject {
        var object = JSONObject()
        if let method { object["method"] = .string(method.rawValue) }
        if let route { object["route"] = .string(route) }
        if let tenant { object["tenant"] = .string(tenant) }
        object["status"] = .int(Int64(status))
        object["bytes"] = .int(Int64(bytes))
        // Milliseconds with microsecond precision: 12.345.
        object["duration_ms"] = .double(Double(elapsedNanos / 1000) / 1000)
        object["request_id"] = .string(requestID)
        if let keyName { object["key"] = .string(keyName) }
        if sampleRate > 1 { object["sample_rate"] = .int(Int64(sampleRate)) }
        return object
    }
}

/// Decides which completed requests one event loop logs. Time is passed in, so tests drive it
/// without a clock.
///
/// Within each second, the first `budget` ordinary requests are logged; past that one in k, where
/// k is at least 2, at least the previous second's requests over the budget (about `budget` more
/// lines in a steady second) and at least this second's so far over the budget (a burst that
/// starts in a quiet second adds only about budget × ln(requests / budget) lines). Errors and slow
/// requests are always logged and do not use the budget.
struct AccessLogSampler {
    enum Decision: Equatable {
        case skip
        /// Log, recording that the line stands for this many requests.
        case log(sampleRate: Int)
    }

    /// Ordinary lines a second; nil logs every request.
    let budget: Int?
    let slowNanos: UInt64
    private var windowStart: UInt64 = 0
    private var seen = 0
    private var logged = 0
    private var previousRate = 1
    private var sinceLastSampled = 0

    init(budget: Int?, slowNanos: UInt64) {
        self.budget = budget.map { max(1, $0) }
        self.slowNanos = slowNanos
    }

    /// The sampler for one of `loops` event loops under `mode`; nil when the log is off.
    init?(_ configuration: HTTPServer.AccessLog, loops: Int) {
        let slowNanos = UInt64(max(0, configuration.slowMillis)) * 1_000_000
        switch configuration.mode {
        case .off: return nil
        case .all: self.init(budget: nil, slowNanos: slowNanos)
        case .sampled(let lines): self.init(budget: max(1, lines / max(1, loops)), slowNanos: slowNanos)
        }
    }

    mutating func decide(status: Int, elapsedNanos: UInt64, now: UInt64) -> Decision {
        guard let budget else { return .log(sampleRate: 1) }
        let sinceWindowStart = now &- windowStart
        if sinceWindowStart >= 1_000_000_000 {
            // The last window is the previous second only if it ended less than a second ago.
            previousRate = sinceWindowStart < 2_000_000_000 ? (seen + budget - 1) / budget : 1
            windowStart = now
            seen = 0
            logged = 0
            sinceLastSampled = 0
        }
        seen += 1
        if status >= 400 || elapsedNanos >= slowNanos { return .log(sampleRate: 1) }
        if logged < budget {
            logged += 1
            return .log(sampleRate: 1)
        }
        let rate = max(2, previousRate, seen / budget)
        sinceLastSampled += 1
        guard sinceLastSampled >= rate else { return .skip }
        sinceLastSampled = 0
        return .log(sampleRate: rate)
    }
}
