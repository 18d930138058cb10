import Integration
import Model
import Native
import Routing
import Sandbox

/// Points the sandbox at Switchboard: where each tenant's webhooks go (signed with the tenant's
/// current secrets: the first of a rotation's list) and which calendars its services book into
/// (with the tenant's hours and zone). The sandbox may run in this process (`--sandbox`) or on
/// its own (`switchboard sandbox`, reached through `SWITCHBOARD_SANDBOX_URL`).
enum SandboxWiring {
    static func targets(for snapshots: [TenantSnapshot], publicURL: String) -> [WebhookTarget] {
        var targets: [WebhookTarget] = []
        for snapshot in snapshots {
            let config = snapshot.config
            let base = "\(publicURL)/v1/tenants/\(config.id.rawValue)/webhooks"
            let webhooks = config.channels.webhooks
            let integrations = config.integrations
            if let stripe = webhooks[.stripe], let key = integrations[.payments]?.credentials["secret_key"]?.current.reveal() {
                targets.append(WebhookTarget(provider: .stripe, url: "\(base)/stripe", secret: stripe.secrets.current.reveal(), account: key))
            }
            if let calcom = webhooks[.calcom], let key = integrations[.scheduling]?.credentials["api_key"]?.current.reveal() {
                targets.append(WebhookTarget(provider: .calcom, url: "\(base)/calcom", secret: calcom.secrets.current.reveal(), account: key))
            }
            if let twilio = webhooks[.twilio], let sid = integrations[.messaging]?.credentials["account_sid"]?.current.reveal() {
                targets.append(WebhookTarget(provider: .twilio, url: twilio.publicURL ?? "\(base)/twilio", secret: twilio.secrets.current.reveal(),
                                             account: sid, number: config.channels.sms?.number))
            }
            if let hook = webhooks[.twilioVoice], let voice = config.channels.voice {
                let sid = integrations[.messaging]?.credentials["account_sid"]?.current.reveal()
                targets.append(WebhookTarget(provider: .twilioVoice, url: hook.publicURL ?? "\(base)/twilio-voice", secret: hook.secrets.current.reveal(),
                                             account: sid, number: voice.number))
            }
        }
        return targets
    }

    /// One event type per service with a calendar; a tenant's services share its calendar (one
    /// team cannot be in two places at once).
    static func eventTypes(for snapshots: [TenantSnapshot]) -> [SandboxEventType] {
        var types: [SandboxEventType] = []
        for snapshot in snapshots {
            let config = snapshot.config
            guard let scheduling = config.integrations[.scheduling] else { continue }
            // The calendar is open when the service is offered (its own hours, else the tenant's).
            func hours(of service: Service) -> [Int: ClosedRange<Int>] {
                var hours: [Int: ClosedRange<Int>] = [:]
                for weekday in Weekday.allCases {
                    let ranges = service.bookingHours(in: config.identity).ranges(on: weekday)
                    guard let first = ranges.map(\.start.minutes).min(), let last = ranges.map(\.end.minutes).max() else { continue }
                    hours[weekday.rawValue] = first...last
                }
                return hours
            }
            for (serviceID, eventType) in scheduling.eventTypes.sorted(by: { $0.key < $1.key }) {
                guard let service = config.service(id: serviceID) else { continue }
                let hours = hours(of: service)
                var type = SandboxEventType(id: Int64(eventType), slug: serviceID, title: service.name,
                                            lengthInMinutes: service.durationMinutes, timeZone: config.identity.timeZone.identifier,
                                            hours: hours, calendar: config.id.rawValue)
                // Durations from tables and add-ons: Cal.com's "multiple durations".
                type.lengthOptions = service.possibleDurationMinutes().filter { $0 != type.lengthInMinutes }
                types.append(type)
            }
            // A series repeats on an event type of its own per interval, on the same calendar.
            for (serviceID, byWeeks) in scheduling.recurringEventTypes.sorted(by: { $0.key < $1.key }) {
                guard let service = config.service(id: serviceID), let recurrence = service.recurrence else { continue }
                let hours = hours(of: service)
                for (weeks, eventType) in byWeeks.sorted(by: { $0.key < $1.key }) {
                    var type = SandboxEventType(id: Int64(eventType), slug: "\(serviceID)-every-\(weeks)-weeks", title: service.name,
                                                lengthInMinutes: service.durationMinutes, timeZone: config.identity.timeZone.identifier,
                                                hours: hours, calendar: config.id.rawValue,
                                                recurrence: .init(everyWeeks: weeks, maxCount: recurrence.maxCount ?? Recurrence.countRange.upperBound))
                    type.lengthOptions = service.possibleDurationMinutes().filter { $0 != type.lengthInMinutes }
                    types.append(type)
                }
            }
        }
        return types
    }

    /// Registers on a sandbox in this process.
    static func register(_ snapshots: [TenantSnapshot], on sandbox: SandboxServer, publicURL: String) {
        for target in targets(for: snapshots, publicURL: publicURL) { sandbox.register(target) }
        for type in eventTypes(for: snapshots) { sandbox.define(type) }
    }

    /// Registers on a sandbox elsewhere, through its control endpoints.
    static func register(_ snapshots: [TenantSnapshot], at sandboxURL: String, publicURL: String, client: HTTPClient) async throws {
        for target in targets(for: snapshots, publicURL: publicURL) {
            var json: JSONObject = ["provider": .string(target.provider.rawValue), "url": .string(target.url), "secret": .string(target.secret)]
            json["account"] = target.account.map { .string($0) } ?? .null
            json["number"] = target.number.map { .string($0) } ?? .null
            try await post(client, sandboxURL + "/sandbox/webhooks", .object(json))
        }
        let days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
        for type in eventTypes(for: snapshots) {
            var hours = JSONObject()
            for (day, range) in type.hours.sorted(by: { $0.key < $1.key }) {
                hours[days[day]] = [.string(clock(range.lowerBound)), .string(clock(range.upperBound))]
            }
            var json: JSONObject = [
                "id": .int(type.id), "slug": .string(type.slug), "title": .string(type.title),
                "length_minutes": .int(Int64(type.lengthInMinutes)), "length_options": .array(type.lengthOptions.map { .int(Int64($0)) }),
                "time_zone": .string(type.timeZone),
                "calendar": .string(type.calendar), "hours": .object(hours),
            ]
            if let recurrence = type.recurrence {
                json["recurrence"] = ["frequency": "weekly", "interval": .int(Int64(recurrence.everyWeeks)),
                                      "occurrences": .int(Int64(recurrence.maxCount))]
            }
            try await post(client, sandboxURL + "/sandbox/calcom/event-types", .object(json))
        }
    }

    private static func post(_ client: HTTPClient, _ url: String, _ json: JSON) async throws {
        let response = try await client.send(HTTPClient.Request(method: "POST", url: url, headers: [("Content-Type", "application/json")],
                                                                body: json.serializedBytes(), timeoutSeconds: 10))
        guard response.isSuccess else {
            throw SystemError(call: "registering with the sandbox (HTTP \(response.status): \(response.bodyText.prefix(200)))",
                              errno: 0, subject: url)
        }
    }

    private static func clock(_ minutes: Int) -> String {
        let h = minutes / 60
        let m = minutes % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }
}
