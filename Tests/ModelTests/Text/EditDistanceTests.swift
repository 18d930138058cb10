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

    @Test func suggestion_atTheLimitByLengthAlone() {
        // Two insertions away, and a limit of two for six characters: still a suggestion.
        #expect(EditDistance.suggestion(for: "servic", among: ["flows", "services"]) == "services")
        #expect(EditDistance.suggestion(for: "servi", among: ["flows", "services"]) == nil)
        // The nearest wins over a candidate of the same length that is further away.
        #expect(EditDistance.suggestion(for: "tenamt", among: ["tenants", "tenxxt", "tenant"]) == "tenant")
    }

    @Test func suggestion_amongTheTimeZoneDatabase() {
        let zones = TenantTimeZone.knownIdentifiers
        #expect(zones.contains("America/Chicago"))
        #expect(EditDistance.suggestion(for: "America/Chicgo", among: zones) == "America/Chicago")
        #expect(EditDistance.suggestion(for: "europe/london", among: zones) == "Europe/London")
        #expect(EditDistance.suggestion(for: "Mars/Olympus_Mons", among: zones) == nil)
    }
}
