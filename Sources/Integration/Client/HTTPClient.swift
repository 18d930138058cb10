import Model
import Native

/// The one outbound HTTP client of the process: `HTTPClient.Request` in, `HTTPClient.Response` out,
/// over the libcurl driver. Adapters share it; it keeps connections alive per host.
public final class HTTPClient: Sendable {
    let curl: CurlClient
    let proxy: CurlRequest.Proxy

    /// Wraps an existing libcurl client (to share it or to pick its event mode).
    ///
    /// - Parameter proxy: how every request reaches its server; `.none` by default, so an
    ///   `http_proxy` in the environment changes nothing unless asked for with `.environment`.
    public init(curl: CurlClient, proxy: CurlRequest.Proxy = .none) {
        self.curl = curl
        self.proxy = proxy
    }

    /// Starts a client with its own driver thread.
    ///
    /// - Throws: `SystemError` when the driver's epoll or wake-up descriptor cannot be created.
    public convenience init(proxy: CurlRequest.Proxy = .none) throws {
        var configuration = CurlClient.Configuration()
        configuration.name = "http-client"
        self.init(curl: try CurlClient(configuration: configuration), proxy: proxy)
    }

    /// Sends `request` and returns the response, whatever its status.
    ///
    /// - Throws: `CurlError` when no response arrived; `CancellationError` when the task was cancelled.
    public func send(_ request: Request) async throws -> Response {
        var transfer = CurlRequest(method: request.method, url: request.url, headers: request.headers, body: request.body,
                                   connectTimeoutMillis: Int(request.connectTimeoutSeconds * 1000),
                                   timeoutMillis: Int(request.timeoutSeconds * 1000), caFile: request.caFile)
        transfer.maxResponseBytes = request.maxResponseBytes
        transfer.proxy = proxy
        return Response(try await curl.perform(transfer))
    }

    /// Sends an SMTP submission (see `CurlRequest.Mail`).
    public func sendMail(_ request: CurlRequest) async throws -> CurlResponse {
        var request = request
        request.proxy = proxy
        return try await curl.perform(request)
    }

    /// The client's driver thread as a task executor: see `CurlClient.taskExecutor`.
    public var taskExecutor: any TaskExecutor { curl.taskExecutor }

    /// Transfers in flight now.
    public var transfersInFlight: Int { curl.transfersInFlight }

    /// Adds `switchboard_http_client_transfers_in_flight` to `metrics`.
    public func registerMetrics(on metrics: MetricsRegistry) {
        let curl = self.curl
        metrics.addCollector { writer in
            writer.family("switchboard_http_client_transfers_in_flight",
                          help: "Outbound HTTP and SMTP transfers submitted and not finished.", kind: .gauge)
            writer.sample("switchboard_http_client_transfers_in_flight", labels: Labels(), value: curl.transfersInFlight)
        }
    }

    public func shutdown() { curl.shutdown() }
}
