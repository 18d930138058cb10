import Model

/// The series an interaction asks for, checked against its service's `recurrence`: what
/// `decide.eligibility`, `decide.slot` and `scheduling.book` agree on. A series the service
/// cannot give is refused with a reason for the customer, never booked as a one-off; only words
/// about a service that offers no series at all are taken as describing something else.
enum SeriesRequest: Equatable {
    /// A one-off booking (nothing asked, or a single occurrence).
    case none
    case series(everyWeeks: Int, count: Int?, phrase: String, recurrence: Recurrence)
    case refused(String)

    static func check(_ input: StepInput, service: Service) -> SeriesRequest {
        let requested: RequestedRecurrence?
        do {
            requested = try RequestedRecurrence.find(fields: input.interaction.fields, text: input.interaction.text)
        } catch {
            return .refused(error.message)
        }
        guard let requested, requested.count != 1 else { return .none }
        let asked = requested.phrase.isEmpty ? "every \(requested.everyWeeks) weeks" : requested.phrase
        guard let recurrence = service.recurrence else {
            // "It clogs every week" describes the problem: words ask for a series only where one is offered.
            guard requested.fromFields else { return .none }
            return .refused("\(service.name) can't be booked as a series (\(asked)); please book one appointment at a time")
        }
        guard recurrence.allows(everyWeeks: requested.everyWeeks) else {
            let offered = recurrence.everyWeeks.map(String.init)
            let list = offered.count == 1 ? offered[0] : offered.dropLast().joined(separator: ", ") + " or " + offered[offered.count - 1]
            let monthly = requested.everyWeeks == 4 && ["monthly", "every month", "once a month"].contains { asked.hasPrefix($0) }
            return .refused("\(service.name) can be booked every \(list) week\(offered == ["1"] ? "" : "s"), not "
                            + (monthly ? "monthly (every 4 weeks)" : "every \(requested.everyWeeks) weeks"))
        }
        if let count = requested.count, let most = recurrence.maxCount, count > most {
            return .refused("\(service.name) can be booked for at most \(most) appointments in a series, not \(count)")
        }
        return .series(everyWeeks: requested.everyWeeks, count: requested.count, phrase: asked, recurrence: recurrence)
    }

    /// The starts of the series from `first`, as many as asked and the service allows.
    func starts(from first: Int64, zone: TenantTimeZone) -> [Int64] {
        guard case .series(let weeks, let count, _, let recurrence) = self else { return [first] }
        let allowed = recurrence.count(requested: count, everyWeeks: weeks, first: first, zone: zone)
        return Recurrence.starts(first: first, everyWeeks: weeks, count: max(1, allowed), zone: zone)
    }

    var everyWeeks: Int? {
        if case .series(let weeks, _, _, _) = self { return weeks }
        return nil
    }
}
