import HTTP
import Model
import Synchronization

/// Applies `FaultRule`s to provider routes and counts the requests each route received (faulted
/// or not), so tests can see how many calls reached a provider.
final class FaultInjector: Sendable {
    private let rules: Mutex<[FaultRule]>
    private let hits = Mutex<[String: Int]>([:])

    enum Decision: Sendable {
        case pass
        case error(status: Int)
        case rateLimited(retryAfter: Int)
        /// Carry the request out, then answer this error instead.
        case loseAnswer(status: Int)
    }

    init(rules: [FaultRule]) {
        self.rules = Mutex(rules)
    }

    var current: [FaultRule] { rules.withLock { $0 } }

    func add(_ rule: FaultRule) { rules.withLock { $0.append(rule) } }

    func clear() { rules.withLock { $0.removeAll() } }

    /// Requests received per `METHOD /route/pattern`.
    var requestCounts: [String: Int] { hits.withLock { $0 } }

    func resetCounts() { hits.withLock { $0.removeAll() } }

    /// The latency and answer for a request; the first matching rule decides.
    func decide(method: String, path: Substring) -> (latencyMillis: Int, decision: Decision) {
        rules.withLock { rules -> (Int, Decision) in
            guard let index = rules.firstIndex(where: { $0.matches(method: method, path: path) }) else { return (0, .pass) }
            let rule = rules[index]
            if let times = rule.times {
                if times <= 1 { rules.remove(at: index) } else { rules[index].times = times - 1 }
            }
            var generator = SystemRandomNumberGenerator()
            let draw = Double.random(in: 0..<1, using: &generator)
            if draw < rule.rateLimitRate { return (rule.latencyMillis, .rateLimited(retryAfter: rule.retryAfterSeconds)) }
            if draw < rule.rateLimitRate + rule.errorRate {
                return (rule.latencyMillis, rule.loseAnswer ? .loseAnswer(status: rule.errorStatus) : .error(status: rule.errorStatus))
            }
            return (rule.latencyMillis, .pass)
        }
    }

    /// `handler` behind the faults, answering errors in `provider`'s format.
    func guarded(_ provider: SandboxProvider, _ handler: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse)
        -> HTTPHandler {
        .async { [self] request in
            hits.withLock { $0["\(request.method.rawValue) \(request.routePattern)", default: 0] += 1 }
            let (latency, decision) = decide(method: request.method.rawValue, path: request.path)
            if latency > 0 { try await Task.sleep(nanoseconds: UInt64(latency) * 1_000_000) }
            func handle() async throws -> HTTPResponse {
                do {
                    return try await handler(request)
                } catch let answer as SandboxAnswer {
                    return answer.response
                } catch let error as SandboxError {
                    return provider.errorResponse(status: error.status, message: error.message, path: String(request.path))
                }
            }
            switch decision {
            case .pass:
                return try await handle()
            case .loseAnswer(let status):
                _ = try await handle()
                return provider.errorResponse(status: status, message: "sandbox: the answer was lost after the request was carried out",
                                              path: String(request.path))
            case .error(let status):
                return provider.errorResponse(status: status, message: "sandbox: injected failure", path: String(request.path))
            case .rateLimited(let retryAfter):
                var response = provider.errorResponse(status: 429, message: "sandbox: injected rate limit", path: String(request.path))
                response.headers.append(("Retry-After", String(retryAfter)))
                return response
            }
        }
    }
}
