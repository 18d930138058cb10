import Model

/// Every agent of the catalogue, by name.
public struct AgentRegistry: Sendable {
    private let agents: [String: any Agent]

    public init(_ agents: [any Agent] = AgentRegistry.standard) {
        self.agents = Dictionary(uniqueKeysWithValues: agents.map { ($0.name, $0) })
    }

    public static let standard: [any Agent] = [
        IntentAgent(), CustomerAgent(), EligibilityAgent(), PriceAgent(), SlotAgent(), ApprovalAgent(), ConversationAgent(),
        BookAgent(), CancelBookingAgent(), DepositLinkAgent(), ChargeAgent(), RefundAgent(), MarkPaidAgent(),
        CRMNoteAgent(), CRMUpdateAgent(), NotifyCustomerAgent(), NotifyOperatorAgent(), HTTPCallAgent(),
    ]

    public subscript(name: String) -> (any Agent)? { agents[name] }

    /// Catalogue entries without an implementation (a test keeps this empty).
    public var missing: [String] { AgentCatalog.names.filter { agents[$0] == nil } }
}
