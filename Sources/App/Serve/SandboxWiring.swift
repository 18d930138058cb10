import Model
import Routing
import Sandbox

/// Points the sandbox at Switchboard: where each tenant's webhooks go (signed with the tenant's
/// secrets) and which calendars its services book into (with the tenant's hours and zone).
enum SandboxWiring {
    static func register(_ snapshots: [TenantSnapshot], on sandbox: SandboxServer, publicURL: String) {
        for snapshot in snapshots {
            let config = snapshot.config
            let base = "\(publicURL)/v1/tenants/\(config.id.rawValue)/webhooks"
            let webhooks = config.channels.webhooks
            let integrations = config.integrations
            if let stripe = webhooks[.stripe], let key = integrations[.payments]?.credentials["secret_key"]?.reveal() {
                sandbox.register(WebhookTarget(provider: .stripe, url: "\(base)/stripe", secret: stripe.secret.reveal(), account: key))
            }
            if let calcom = webhooks[.calcom], let key = integrations[.scheduling]?.credentials["api_key"]?.reveal() {
                sandbox.register(WebhookTarget(provider: .calcom, url: "\(base)/calcom", secret: calcom.secret.reveal(), account: key))
            }
            if let twilio = webhooks[.twilio], let sid = integrations[.messaging]?.credentials["account_sid"]?.reveal() {
                sandbox.register(WebhookTarget(provider: .twilio, url: twilio.publicURL ?? "\(base)/twilio",
                                               secret: twilio.secret.reveal(), account: sid, number: config.channels.sms?.number))
            }
            guard let scheduling = integrations[.scheduling] else { continue }
            var hours: [Int: ClosedRange<Int>] = [:]
            for weekday in Weekday.allCases {
                let ranges = config.identity.hours.ranges(on: weekday)
                guard let first = ranges.map(\.start.minutes).min(), let last = ranges.map(\.end.minutes).max() else { continue }
                hours[weekday.rawValue] = first...last
            }
            for (serviceID, eventType) in scheduling.eventTypes {
                guard let service = config.service(id: serviceID) else { continue }
                sandbox.define(SandboxEventType(id: Int64(eventType), slug: serviceID, title: service.name,
                                                lengthInMinutes: service.durationMinutes, timeZone: config.identity.timeZone.identifier,
                                                hours: hours, calendar: config.id.rawValue))
            }
        }
    }
}
