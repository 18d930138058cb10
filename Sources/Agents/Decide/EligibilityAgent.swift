import Model

/// `decide.eligibility`: is this job one the tenant takes? Service area (postal code), lead time,
/// allowed weekdays and closed dates, each check named in the reasons.
public struct EligibilityAgent: Agent {
    public let name = "decide.eligibility"
    public let hasEffects = false

    public init() {}

    public func run(_ input: StepInput) async -> StepResult {
        guard let service = input.service else {
            return refuse("no service was chosen", ["eligibility needs a recognised service"])
        }
        let rules = service.eligibility
        var reasons: [String] = []
        if !rules.postalCodes.isEmpty {
            guard let postal = Self.postalCode(of: input) else {
                return refuse("we need your postal code to check that you are in our service area",
                              ["no postal code in the request (fields.postal_code, the sender's ZIP or the text)"])
            }
            guard rules.serves(postalCode: postal) else {
                return refuse("\(postal) is outside our service area", ["postal code \(postal) is not in \(service.name)'s service area"])
            }
            reasons.append("postal code \(postal) is in the service area")
        }
        // The series asked for, for later steps and conditions (`series.every_weeks`).
        var series: JSONObject?
        switch SeriesRequest.check(input, service: service) {
        case .refused(let reason):
            return refuse(reason, reasons + ["the series asked for is not one \(service.name) offers"])
        case .series(let weeks, let count, let phrase, _):
            reasons.append("a series every \(weeks) week\(weeks == 1 ? "" : "s")" + (count.map { ", \($0) times" } ?? "")
                           + " (\"\(phrase)\") is offered")
            series = ["every_weeks": .int(Int64(weeks)), "count": count.map { .int(Int64($0)) } ?? .null]
        case .none:
            break
        }
        let zone = input.config.identity.timeZone
        if let requested = RequestedTime.find(fields: input.interaction.fields, text: input.interaction.text, now: input.now, zone: zone) {
            let leadSeconds = rules.leadTime.components.seconds
            let earliest = input.now / 1000 + leadSeconds
            if requested.end <= earliest {
                return refuse("\(service.name) needs at least \(Self.hours(leadSeconds)) notice",
                              reasons + ["requested \"\(requested.phrase)\" is sooner than the lead time allows"])
            }
            // A closed date is not a reason to turn the job down: the slot search says so and
            // offers the next open times.
            let local = zone.localTime(atUnixSeconds: max(requested.start, earliest))
            let date = LocalDate(year: local.year, month: local.month, day: local.day)
            if let weekdays = rules.weekdays, !weekdays.contains(date.weekday) {
                let allowed = weekdays.sorted().map(\.name).joined(separator: ", ")
                return refuse("\(service.name) is only available on \(allowed)", reasons + ["\(date) is a \(date.weekday.name)"])
            }
            reasons.append("requested \"\(requested.phrase)\" respects the \(Self.hours(leadSeconds)) lead time")
        } else {
            reasons.append("no time requested: the slot search starts after the lead time")
        }
        var delta: JSONObject = ["eligibility": ["reason": "eligible"]]
        if let series { delta["series"] = .object(series) }
        return .ok("eligible for \(service.name)", reasons: reasons, delta: delta)
    }

    private func refuse(_ reason: String, _ reasons: [String]) -> StepResult {
        .outcome(.ineligible, "not eligible: \(reason)", reasons: reasons, delta: ["eligibility": ["reason": .string(reason)]])
    }

    /// The postal code from the API fields, the webhook (Twilio's `FromZip`), or the text.
    static func postalCode(of input: StepInput) -> String? {
        for key in ["postal_code", "postcode", "zip"] {
            if let value = input.interaction.fields[key]?.textValue, !value.isEmpty { return value }
        }
        if let zip = input.interaction.event?.payload["FromZip"]?.stringValue, !zip.isEmpty { return zip }
        guard let text = input.interaction.text else { return nil }
        // A US ZIP (5 digits) or a UK postcode (e.g. SW1A 1AA) in the customer's words.
        if let match = text.firstMatch(of: /\b\d{5}\b/) { return String(match.output) }
        if let match = text.uppercased().firstMatch(of: /\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b/) { return String(match.output) }
        return nil
    }

    static func hours(_ seconds: Int64) -> String {
        if seconds % 86_400 == 0 && seconds >= 86_400 { return "\(seconds / 86_400) days'" }
        if seconds % 3600 == 0 { return "\(seconds / 3600) hours'" }
        return "\(seconds / 60) minutes'"
    }
}
