import Testing
@testable import Model

struct EditDistanceTests {
    @Test func distance() {
        #expect(EditDistance.between("kitten", "sitting") == 3)
        #expect(EditDistance.between("", "abc") == 3)
        #expect(EditDistance.between("same", "same") == 0)
    }

    @Test func suggestion_onlyForLikelyTypos() {
        #expect(EditDistance.suggestion(for: "servics", among: ["services", "flows", "tenant"]) == "services")
        #expect(EditDistance.suggestion(for: "Flows", among: ["services", "flows"]) == "flows")
        #expect(EditDistance.suggestion(for: "xyz", among: ["services", "flows"]) == nil)
        #expect(EditDistance.hint(for: "notify.custmer", among: AgentCatalog.names) == " (did you mean \"notify.customer\"?)")
    }
}
