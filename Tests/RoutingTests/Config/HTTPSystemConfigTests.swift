import Model
import Testing
@testable import Routing

/// Generic HTTP systems: their operations decode, `http.call` names them, their response fields
/// become context keys, and their templates may read the system's credentials.
struct HTTPSystemConfigTests {
    static let system = """
          systems:
            parts:
              base_url: https://parts.example.com/api
              credentials:
                token: ${PARTS_TOKEN:-parts-sandbox}
              headers:
                Authorization: "Bearer {{credentials.token}}"
              timeout: 5s
              rate_limit: { requests_per_second: 5 }
              operations:
                check_stock:
                  method: POST
                  path: /stock/check
                  body: '{"postal_code": {{fields.postal_code | json}}, "service": {{SERVICE | json}}}'
                  response:
                    available: data.available
                    eta_days: data.eta
                  success:
                    status: [200, 201]
                    field: data.ok
                    equals: true
                  not_found_status: [404, 410]
        services:

        """

    /// The fixture tenant with the `parts` system and a `stock` step after `find`.
    private func tenant(service: String = "fields.service", ops: String = "{{http.check_stock.eta_days | default: 'a few'}}",
                        operation: String = "check_stock") -> String {
        TestFiles.validFixture
            .replacingFirst("services:\n", with: Self.system.replacingFirst("SERVICE", with: service))
            .replacingFirst("        agent: customer.find_or_create\n        next: greet\n",
                            with: "        agent: customer.find_or_create\n        next: stock\n      stock:\n        agent: http.call\n"
                                + "        params: { integration: parts, operation: \(operation) }\n        on: { ok: greet, not_found: greet, error: greet }\n")
            .replacingFirst("text: \"New request from {{from.phone}}: {{interaction.text}}\"",
                            with: "text: \"New request from {{from.phone}}: parts in \(ops) days\"")
    }

    @Test func system_decodesItsOperations() throws {
        let config = try TestFiles.load(tenant()).get().config
        let parts = try #require(config.integrations.systems["parts"])
        #expect(parts.baseURL == "https://parts.example.com/api")
        #expect(parts.credentials["token"]?.current.reveal() == "parts-sandbox")
        #expect(parts.timeout == .seconds(5))
        #expect(parts.rateLimit == RateLimit(requestsPerSecond: 5, burst: 5))
        let operation = try #require(parts.operations["check_stock"])
        #expect(operation.method == "POST")
        #expect(operation.response == ["available": "data.available", "eta_days": "data.eta"])
        #expect(operation.success == SuccessCriteria(statuses: [200, 201], field: "data.ok", equals: .bool(true)))
        #expect(operation.notFoundStatuses == [404, 410])
        #expect(operation.success.isSatisfied(status: 201, body: ["data": ["ok": true]]))
        #expect(!operation.success.isSatisfied(status: 200, body: ["data": ["ok": false]]))
        let context: JSON = ["fields": ["postal_code": "78704", "service": "drain"], "credentials": ["token": "x"]]
        #expect(operation.body?.render(context, in: config.templateEnvironment) == "{\"postal_code\": \"78704\", \"service\": \"drain\"}")
        #expect(parts.headers["Authorization"]?.render(context, in: config.templateEnvironment) == "Bearer x")
    }

    @Test func responseFields_areContextKeys_setOnlyWhenTheCallSucceeds() {
        #expect(TestFiles.problems(tenant()) == [])
        #expect(TestFiles.problems(tenant(ops: "{{http.check_stock.eta_dys | default: 'a few'}}")) == [
            "82:56: templates.ops.text: no step provides {{http.check_stock.eta_dys}} (did you mean \"http.check_stock.eta_days\"?)",
        ])
        // not_found and error also lead on, without the field.
        #expect(TestFiles.problems(tenant(ops: "{{http.check_stock.eta_days}}")) == [
            "82:56: templates.ops.text: {{http.check_stock.eta_days}} is not set on every path to flow \"main\" state \"tell_ops\"; "
                + "change the flow or write {{http.check_stock.eta_days | default: \"…\"}}",
        ])
    }

    @Test func systemTemplates_areCheckedWhereTheCallRuns() {
        #expect(TestFiles.problems(tenant(service: "service.id")) == [
            "51:78: integrations.systems.parts.operations.check_stock.body: {{service.id}} is not set on every path to flow \"main\" "
                + "state \"stock\" (intent.classify sets it on ok); change the flow or write {{service.id | default: \"…\"}}",
        ])
    }

    @Test func unknownOperation_isReported() {
        #expect(TestFiles.problems(tenant(operation: "check_stok")) == [
            "97:50: flows.main.states.stock.params.operation: system \"parts\" has no operation \"check_stok\" (did you mean \"check_stock\"?)",
        ])
    }
}
