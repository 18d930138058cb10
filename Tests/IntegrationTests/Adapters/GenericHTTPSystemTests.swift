import HTTP
import Integration
import Model
import Native
import Testing

/// The configured-as-data adapter against a loopback server.
@Suite(.timeLimit(.minutes(1)))
struct GenericHTTPSystemTests {
    static func system(_ server: CaptureServer, runtime: IntegrationRuntime) -> GenericHTTPSystem {
        GenericHTTPSystem(configuration: .init(name: "erp", baseURL: "http://127.0.0.1:\(server.port)", authorization: .bearer("erp-token-123"),
                                               operations: [
                                                   GenericHTTPOperation(name: "lookup", method: "GET", url: "/customers/{{id}}?fields=all",
                                                                        headers: [("X-Api-Key", "{{key}}")],
                                                                        extract: ["name": "data.name", "tier": "data.tier.0"]),
                                                   GenericHTTPOperation(name: "order", method: "POST", url: "/orders",
                                                                        body: "{\"customer\":\"{{id}}\",\"qty\":{{qty}}}",
                                                                        extract: ["order_id": "id"],
                                                                        success: .init(statuses: [201], fieldPath: "state", fieldValue: "accepted"),
                                                                        idempotencyHeader: "Idempotency-Key"),
                                               ], policy: testPolicy()), runtime: runtime)
    }

    static func render(_ values: [String: String]) -> @Sendable (String) throws -> String {
        { template in
            var text = template
            for (name, value) in values { text = text.replacing("{{\(name)}}", with: value) }
            return text
        }
    }

    @Test func get_rendersTemplatesAndExtractsFields() async throws {
        let server = try CaptureServer { request in
            request.path == "/customers/c-9" ? .json(["data": ["name": "Ann", "tier": ["gold"]]]) : .error(.notFound, code: "nf", message: "no")
        }
        let runtime = try IntegrationRuntime(metrics: MetricsRegistry())
        let result = try await Self.system(server, runtime: runtime).call("lookup", context: CallContext(tenant: "acme", idempotencyKey: "i:s"),
                                                                          render: Self.render(["id": "c-9", "key": "k-777"]))
        #expect(result.fields == ["name": "Ann", "tier": "gold"])
        let request = try #require(server.requests.first)
        #expect(request.method == .get)
        #expect(request.target == "/customers/c-9?fields=all")
        #expect(request.headers["X-Api-Key"] == "k-777")
        #expect(request.headers["Authorization"] == "Bearer erp-token-123")
        runtime.client.shutdown()
        try await server.stop()
    }

    @Test func post_sendsJSONWithIdempotencyKeyAndChecksTheSuccessField() async throws {
        let server = try CaptureServer { _ in .json(["id": "o-1", "state": "accepted"], status: .created) }
        let runtime = try IntegrationRuntime(metrics: MetricsRegistry())
        let system = Self.system(server, runtime: runtime)
        let result = try await system.call("order", context: CallContext(tenant: "acme", idempotencyKey: "i-4:order"),
                                           render: Self.render(["id": "c-9", "qty": "2"]))
        #expect(result.status == 201)
        #expect(result.fields["order_id"] == "o-1")
        let request = try #require(server.requests.first)
        #expect(try JSONParser.parse(request.body) == ["customer": "c-9", "qty": 2])
        #expect(request.headers["Content-Type"] == "application/json")
        #expect(request.headers["Idempotency-Key"] == "i-4:order:erp.order")
        runtime.client.shutdown()
        try await server.stop()
    }

    @Test func unexpectedField_isPermanent_andNotFoundIsNotFound() async throws {
        let server = try CaptureServer { request in
            request.path == "/orders" ? .json(["id": "o-2", "state": "rejected"], status: .created) : .error(.notFound, code: "nf", message: "no such customer")
        }
        let runtime = try IntegrationRuntime(metrics: MetricsRegistry())
        let system = Self.system(server, runtime: runtime)
        let rejected = await #expect(throws: ProviderError.self) {
            try await system.call("order", context: CallContext(tenant: "acme", idempotencyKey: "i:o"), render: Self.render(["id": "c", "qty": "1"]))
        }
        #expect(rejected?.kind == .permanent)
        #expect(rejected?.message == "state was \"rejected\", expected \"accepted\"")
        let missing = await #expect(throws: ProviderError.self) {
            try await system.call("lookup", context: CallContext(tenant: "acme", idempotencyKey: "i:l"), render: Self.render(["id": "zz", "key": "k"]))
        }
        #expect(missing?.kind == .notFound)
        #expect(missing?.message == "no such customer")
        runtime.client.shutdown()
        try await server.stop()
    }

    @Test func bodyTemplateThatIsNotJSON_failsBeforeSending() async throws {
        let server = try CaptureServer { _ in .json([:]) }
        let runtime = try IntegrationRuntime(metrics: MetricsRegistry())
        let error = await #expect(throws: ProviderError.self) {
            try await Self.system(server, runtime: runtime).call("order", context: CallContext(tenant: "acme", idempotencyKey: "i:o"),
                                                                 render: Self.render(["id": "c\"", "qty": "x"]))
        }
        #expect(error?.kind == .permanent)
        #expect(error?.code == "configuration")
        #expect(server.requests.isEmpty)
        runtime.client.shutdown()
        try await server.stop()
    }
}
