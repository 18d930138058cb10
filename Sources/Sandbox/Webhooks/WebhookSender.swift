import Model
import Native
import Synchronization

/// Registered webhook targets, and delivery of signed events to them.
final class WebhookSender: Sendable {
    private let targets: Mutex<[WebhookTarget]>
    private let client: CurlClient
    private let logger = Logger(label: "sandbox")

    struct Delivery: Sendable {
        var url: String
        var status: Int?
        var error: String?
        /// The answer's body and media type (TwiML for voice webhooks).
        var body: [UInt8] = []
        var contentType: String?
        /// Time from sending the request to the end of the answer.
        var elapsedMillis: Double = 0

        var json: JSON {
            ["url": .string(url), "status": status.map { .int(Int64($0)) } ?? .null, "error": error.map { .string($0) } ?? .null]
        }
    }

    init(targets: [WebhookTarget]) throws {
        self.targets = Mutex(targets)
        var configuration = CurlClient.Configuration()
        configuration.name = "sandbox-hooks"
        client = try CurlClient(configuration: configuration)
    }

    func register(_ target: WebhookTarget) {
        targets.withLock { targets in
            targets.removeAll { $0.provider == target.provider && $0.account == target.account && $0.number == target.number }
            targets.append(target)
        }
    }

    var registered: [WebhookTarget] { targets.withLock { $0 } }

    /// The target for `provider`: the one registered for `number`, else for `account`, else the default.
    func target(_ provider: WebhookTarget.Provider, account: String?, number: String? = nil) -> WebhookTarget? {
        targets.withLock { targets in
            let candidates = targets.filter { $0.provider == provider }
            if let number, let match = candidates.first(where: { $0.number == number }) { return match }
            if let account, let match = candidates.first(where: { $0.account == account }) { return match }
            return candidates.first { $0.account == nil && $0.number == nil }
        }
    }

    /// Sends `body` to `url` with `headers` (POST unless `method` says otherwise); never throws:
    /// the result says what happened. Like Twilio, it gives up on an answer after 15 s.
    func deliver(to url: String, method: String = "POST", body: [UInt8], headers: [(name: String, value: String)]) async -> Delivery {
        let request = CurlRequest(method: method, url: url, headers: headers, body: body, connectTimeoutMillis: 3000, timeoutMillis: 15_000)
        let started = Clock.monotonicNanos()
        do {
            let response = try await client.perform(request)
            return Delivery(url: url, status: response.status, error: nil, body: response.body,
                            contentType: Self.header("content-type", in: response.head),
                            elapsedMillis: Double(Clock.monotonicNanos() - started) / 1e6)
        } catch {
            logger.warning("webhook delivery failed", ["url": .string(CurlError.endpoint(of: url)), "error": .string(Logger.describe(error))])
            return Delivery(url: url, status: nil, error: Logger.describe(error), elapsedMillis: Double(Clock.monotonicNanos() - started) / 1e6)
        }
    }

    func shutdown() { client.shutdown() }

    /// A header's value from a raw response head (`name` lowercased).
    static func header(_ name: String, in head: [UInt8]) -> String? {
        for line in String(decoding: head, as: UTF8.self).split(whereSeparator: { $0 == "\r\n" || $0 == "\n" }) {
            guard let colon = line.firstIndex(of: ":"), line[..<colon].lowercased() == name else { continue }
            return line[line.index(after: colon)...].trimmingSpacesAndNewlines
        }
        return nil
    }
}
