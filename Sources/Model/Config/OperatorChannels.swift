/// A way to reach the tenant's operator.
public enum OperatorChannel: String, Sendable, Hashable, CaseIterable {
    /// A post to the Slack incoming webhook of `integrations.operator`.
    case slack
    /// An email to `channels.operator.email` over `integrations.email`, from `channels.email.from`.
    case email
    /// A text to `channels.operator.sms` through `integrations.messaging`, from `channels.sms.number`.
    case sms
}

/// How the operator is reached (`channels.operator`): their address and number, and the order
/// in which channels are tried.
public struct OperatorChannels: Sendable, Hashable {
    /// The operator's email address (`dispatch@example.com` or `Name <dispatch@example.com>`).
    public var email: String?
    /// The operator's mobile number, E.164.
    public var sms: String?
    /// The channels to try, first to last; nil when the file lists none (see
    /// `TenantConfig.operatorChannels`).
    public var order: [OperatorChannel]?

    public init(email: String? = nil, sms: String? = nil, order: [OperatorChannel]? = nil) {
        self.email = email
        self.sms = sms
        self.order = order
    }
}

extension TenantConfig {
    /// The channels `notify.operator` and `approval.request` try when their step names none: the
    /// file's `channels.operator.order`, else Slack when `integrations.operator` is configured,
    /// then email when the operator's address is given, then SMS when their number is.
    public var operatorChannels: [OperatorChannel] {
        if let order = channels.operatorChannels?.order { return order }
        var channels: [OperatorChannel] = []
        if integrations[.operator] != nil { channels.append(.slack) }
        if self.channels.operatorChannels?.email != nil { channels.append(.email) }
        if self.channels.operatorChannels?.sms != nil { channels.append(.sms) }
        return channels
    }

    /// The settings `channel` needs that the tenant lacks (`integrations.email`,
    /// `channels.operator.sms`); empty when the channel can be used.
    public func missingSettings(for channel: OperatorChannel) -> [String] {
        let reach = channels.operatorChannels
        let needs: [(String, Bool)]
        switch channel {
        case .slack:
            needs = [("integrations.operator", integrations[.operator] != nil)]
        case .email:
            needs = [("channels.operator.email", reach?.email != nil), ("integrations.email", integrations[.email] != nil),
                     ("channels.email", channels.email != nil)]
        case .sms:
            needs = [("channels.operator.sms", reach?.sms != nil), ("integrations.messaging", integrations[.messaging] != nil),
                     ("channels.sms", channels.sms != nil)]
        }
        return needs.filter { !$0.1 }.map(\.0)
    }
}

extension OperatorChannel {
    /// What a setting of `TenantConfig.missingSettings(for:)` is, for messages: its key and purpose.
    public static func describe(setting: String) -> String {
        switch setting {
        case "integrations.operator": return "integrations.operator (provider slack)"
        case "integrations.email": return "integrations.email (provider smtp)"
        case "integrations.messaging": return "integrations.messaging (provider twilio)"
        case "channels.email": return "channels.email.from (the sender)"
        case "channels.sms": return "channels.sms.number (the number texts come from)"
        case "channels.operator.email": return "channels.operator.email (the operator's address)"
        case "channels.operator.sms": return "channels.operator.sms (the operator's mobile number)"
        default: return setting
        }
    }
}
