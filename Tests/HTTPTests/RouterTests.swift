import Testing
@testable import HTTP

struct RouterTests {
    private func makeRouter() -> Router {
        let routes = RouterBuilder()
        routes.add(.get, "/healthz", .immediate { _ in .text("ok") })
        routes.add(.get, "/v1/tenants/{tenant}/interactions/{id}", .immediate { _ in .text("one") })
        routes.add(.get, "/v1/tenants/{tenant}/interactions", .immediate { _ in .text("list") })
        routes.add(.post, "/v1/tenants/{tenant}/interactions", .immediate { _ in .text("create") })
        routes.add(.get, "/v1/tenants/{tenant}/interactions/{id}/steps", .immediate { _ in .text("steps") })
        routes.add(.get, "/static/{path...}", .immediate { _ in .text("file") })
        return routes.build()
    }

    @Test func resolve_staticPath() {
        guard case .matched(let route, _, let parameters) = makeRouter().resolve(.get, path: "/healthz") else {
            Issue.record("no match"); return
        }
        #expect(route.pattern == "/healthz")
        #expect(parameters.isEmpty)
    }

    @Test func resolve_parameters_arePercentDecoded() {
        guard case .matched(let route, _, let parameters) = makeRouter().resolve(.get, path: "/v1/tenants/acme%20co/interactions/i-1") else {
            Issue.record("no match"); return
        }
        #expect(route.pattern == "/v1/tenants/{tenant}/interactions/{id}")
        #expect(parameters == ["tenant": "acme co", "id": "i-1"])
    }

    @Test func resolve_literalAfterParameter() {
        guard case .matched(let route, _, _) = makeRouter().resolve(.get, path: "/v1/tenants/a/interactions/b/steps") else {
            Issue.record("no match"); return
        }
        #expect(route.pattern.hasSuffix("/steps"))
    }

    @Test func resolve_unknownPath_isNotFound() {
        guard case .notFound = makeRouter().resolve(.get, path: "/v1/nothing") else { Issue.record("expected 404"); return }
        guard case .notFound = makeRouter().resolve(.get, path: "/v1/tenants//interactions") else { Issue.record("expected 404"); return }
    }

    @Test func resolve_wrongMethod_isMethodNotAllowed_withAllow() {
        guard case .methodNotAllowed(let allow) = makeRouter().resolve(.delete, path: "/v1/tenants/t/interactions") else {
            Issue.record("expected 405"); return
        }
        #expect(allow == "GET, HEAD, POST")
    }

    @Test func resolve_head_usesGetHandler() {
        guard case .matched = makeRouter().resolve(.head, path: "/healthz") else { Issue.record("expected a match"); return }
    }

    @Test func resolve_catchAll_takesTheRest() {
        guard case .matched(_, _, let parameters) = makeRouter().resolve(.get, path: "/static/css/site.css") else {
            Issue.record("no match"); return
        }
        #expect(parameters["path"] == "css/site.css")
    }

    @Test func resolve_badPercentEscape_isBadPath() {
        guard case .badPath = makeRouter().resolve(.get, path: "/v1/tenants/%zz/interactions") else {
            Issue.record("expected badPath"); return
        }
    }
}
