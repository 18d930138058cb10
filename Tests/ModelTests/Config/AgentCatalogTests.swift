import Testing
@testable import Model

struct AgentCatalogTests {
    @Test func catalogue_matchesTheArchitectureTable() {
        #expect(AgentCatalog.names == [
            "intent.classify", "customer.find_or_create", "decide.eligibility", "decide.price", "decide.slot", "approval.request",
            "conversation.ask", "scheduling.book", "scheduling.cancel", "payments.deposit_link", "payments.charge", "payments.refund",
            "payments.mark_paid", "crm.note", "crm.update", "notify.customer", "notify.operator", "http.call",
        ])
        #expect(AgentCatalog.spec(named: "payments.refund")?.outcomes == [.ok, .ineligible, .needsApproval, .error])
        #expect(AgentCatalog.spec(named: "notify.customer")?.confirmsCustomer == true)
        #expect(AgentCatalog.spec(named: "notify.operator")?.notifiesOperator == true)
        #expect(AgentCatalog.all.filter(\.updatesRecord).map(\.name) == ["crm.note", "crm.update"])
    }

    @Test func providedKeys_dependOnTheOutcome_andParameters() {
        let slot = AgentCatalog.spec(named: "decide.slot")!
        #expect(slot.providedKeys(on: .ok, parameters: [:]) == ["slot.start", "slot.end", "slot.occurrences"])
        #expect(slot.providedKeys(on: .conflict, parameters: [:]) == ["alternatives", "conflict.kind", "conflict.reason"])
        #expect(slot.providedKeys(on: .notFound, parameters: [:]) == [])
        let ask = AgentCatalog.spec(named: "conversation.ask")!
        #expect(ask.providedKeys(on: .ok, parameters: ["expect": .choice("slot_choice")]) == ["reply.text", "reply.choice", "slot.start", "slot.end"])
        #expect(ask.providedKeys(on: .ok, parameters: ["expect": .choice("yes_no")]) == ["reply.text", "reply.choice"])
        let call = AgentCatalog.spec(named: "http.call")!
        #expect(call.providedKeys(on: .ok, parameters: ["operation": .name("lookup")], responseFields: ["id"]) == ["http.lookup.id"])
    }

    @Test func outcomes_spellAsTenantFilesDo() {
        #expect(Outcome.allCases.map(\.rawValue) == ["ok", "not_found", "conflict", "ineligible", "needs_approval", "declined", "error", "timeout"])
        #expect(Outcome.needsApproval > Outcome.ok)
        #expect(Set(Outcome.allCases).count == 8)
    }
}
