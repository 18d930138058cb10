import Model

/// Which flow an interaction starts.
enum FlowSelection {
    /// The name of the step that classifies a request before its flow is chosen.
    static let routingState = "route"

    /// True when the flow for `interaction` depends on a service it does not name: its channel
    /// has flows serving particular services, and neither the request nor an earlier routing
    /// step said which service it is about.
    static func routesByService(_ interaction: Interaction, in config: TenantConfig, context: JSONObject) -> Bool {
        guard interaction.service == nil, context["service"]?.objectValue?["id"] == nil, let channel = channel(of: interaction) else {
            return false
        }
        return config.flows.values.contains { $0.serves.channels.contains(channel) && !$0.serves.services.isEmpty }
    }

    /// The flow for `interaction` about `serviceID`, or why there is none.
    static func flow(for interaction: Interaction, serviceID: String?, in config: TenantConfig) -> FlowChoice {
        if let channel = channel(of: interaction) {
            if let flow = config.flow(for: channel, serviceID: serviceID) { return .flow(flow) }
            return .none("no flow serves \(channel.rawValue) interactions")
        }
        guard let event = interaction.event else { return .none("a webhook interaction without an event") }
        let name = "\(event.source).\(event.type.lowercased())"
        if let flow = config.flow(forEvent: name) { return .flow(flow) }
        return .ignored(ignoredReason(event: name))
    }

    /// Why an event that no flow serves is `ignored`, naming it as flows' `events:` lists do.
    static func ignoredReason(event name: String) -> String {
        "no flow serves the event \(name)"
    }

    private static func channel(of interaction: Interaction) -> InteractionChannel? {
        switch interaction.channel {
        case .sms: return .sms
        case .voice: return .voice
        case .api, .email: return .api
        case .stripe, .calcom, .generic: return nil
        }
    }
}

enum FlowChoice {
    case flow(Flow)
    /// No flow serves the interaction, and why: it fails.
    case none(String)
    /// No flow serves the webhook event, and why: it is stored as `ignored`, nothing runs.
    case ignored(String)
}
