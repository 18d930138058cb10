import Model

/// Which flow an interaction starts.
enum FlowSelection {
    /// The flow for `interaction`, or why there is none.
    static func flow(for interaction: Interaction, in config: TenantConfig) -> FlowChoice {
        switch interaction.channel {
        case .api, .sms, .voice, .email:
            let channel: InteractionChannel
            switch interaction.channel {
            case .sms: channel = .sms
            case .voice: channel = .voice
            default: channel = .api
            }
            if let flow = config.flow(for: channel, serviceID: interaction.service) { return .flow(flow) }
            return .none("no flow serves \(channel.rawValue) interactions")
        case .stripe, .calcom, .generic:
            guard let event = interaction.event else { return .none("a webhook interaction without an event") }
            let name = "\(event.source).\(event.type.lowercased())"
            if let flow = config.flow(forEvent: name) { return .flow(flow) }
            return .none("no flow serves the event \(name)")
        }
    }
}

enum FlowChoice {
    case flow(Flow)
    /// No flow serves the interaction, and why.
    case none(String)
}
