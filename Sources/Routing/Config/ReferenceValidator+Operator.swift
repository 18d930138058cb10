import Model
import Native

/// The operator's channels: each one tried, by the tenant's `channels.operator` or a step's
/// `channel`, must have its integration and the operator's address.
extension ReferenceValidator {
    /// The settings `channel` lacks, leaving out those the file declares but that failed to
    /// decode (already reported).
    func missing(_ channel: OperatorChannel) -> [String] {
        config.missingSettings(for: channel).filter { !index.declared.contains($0) }
    }

    func describeMissing(_ settings: [String]) -> String {
        let names = settings.map(OperatorChannel.describe(setting:))
        return names.count <= 1 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + names.last!
    }

    /// `channels.operator`: every channel of its `order` (or, without one, each address given)
    /// must be usable.
    func checkOperatorChannels() {
        guard let reach = config.channels.operatorChannels else { return }
        if let order = reach.order {
            for (offset, channel) in order.enumerated() {
                let missing = missing(channel)
                guard !missing.isEmpty else { continue }
                error("the operator's \(channel.rawValue) channel needs \(describeMissing(missing)): add "
                      + (missing.count == 1 ? "it" : "them") + ", or take \(channel.rawValue) out of channels.operator.order",
                      "channels.operator.order[\(offset)]")
            }
            return
        }
        for channel in [OperatorChannel.email, .sms] where channel == .email ? reach.email != nil : reach.sms != nil {
            let missing = missing(channel).filter { $0 != "channels.operator.\(channel.rawValue)" }
            guard !missing.isEmpty else { continue }
            error("the operator is reached by \(channel.rawValue) once slack fails (no channels.operator.order), which needs "
                  + describeMissing(missing) + ": add " + (missing.count == 1 ? "it" : "them") + ", or give channels.operator.order",
                  "channels.operator.\(channel.rawValue)")
        }
    }

    /// A step reaching the operator: its `channel`s must be usable, or the tenant must have some
    /// operator channel.
    func checkOperatorReach(_ spec: AgentSpec, parameters: [String: StepParameter], statePath: String) {
        guard let channels = parameters["channel"]?.choices else {
            // An order that failed to decode is reported where it is.
            let orderFailed = config.channels.operatorChannels?.order == nil && index.declared.contains("channels.operator.order")
            if config.operatorChannels.isEmpty, !orderFailed, !index.declared.contains("integrations.operator") {
                error("\(spec.name) has no way to reach the operator: add integrations.operator (provider slack), or "
                      + "channels.operator with the operator's email or sms (and integrations.email or integrations.messaging)",
                      join(statePath, "agent"))
            }
            return
        }
        let parameterPath = join(statePath, "params.channel")
        let isList = index.resolve(parameterPath)?.node.sequence != nil
        for (offset, name) in channels.enumerated() {
            guard let channel = OperatorChannel(rawValue: name) else { continue }
            let missing = missing(channel)
            guard !missing.isEmpty else { continue }
            error("\(spec.name) tries the operator by \(name), which needs \(describeMissing(missing)): add "
                  + (missing.count == 1 ? "it" : "them") + ", or choose another channel", isList ? "\(parameterPath)[\(offset)]" : parameterPath)
        }
    }
}
