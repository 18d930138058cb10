import Model

extension ReferenceValidator {
    /// Cal.com sets a series' interval on the event type, so each interval a service offers needs
    /// an event type that repeats that often, and each such event type a service that offers it.
    func checkRecurringEventTypes() {
        guard let scheduling = config.integrations[.scheduling], scheduling.provider == .calcom else { return }
        let path = "integrations.scheduling.recurring_event_types"
        for (id, byWeeks) in scheduling.recurringEventTypes.sorted(by: { $0.key < $1.key }) {
            guard let service = config.service(id: id) else {
                let ids = config.services.map(\.id)
                error("no service \"\(id)\" under services:\(EditDistance.hint(for: id, among: ids))", join(path, id))
                continue
            }
            guard let recurrence = service.recurrence else {
                error("\(id) has no recurrence: add recurrence: to the service, or remove this entry", join(path, id))
                continue
            }
            for weeks in byWeeks.keys.sorted() where !recurrence.allows(everyWeeks: weeks) {
                let weeksPath = join(join(path, id), String(weeks))
                log.error("\(id) does not offer a series every \(weeks) weeks (its recurrence.every_weeks is "
                      + "\(recurrence.everyWeeks)); add \(weeks) there or remove this entry",
                          at: index.keyLocation(weeksPath) ?? index.valueLocation(weeksPath) ?? SourceLocation(file: "", line: 1, column: 1),
                          path: weeksPath)
            }
        }
        for service in config.services {
            guard let recurrence = service.recurrence else { continue }
            let missing = recurrence.everyWeeks.filter { scheduling.recurringEventTypes[service.id]?[$0] == nil }
            guard !missing.isEmpty else { continue }
            error("Cal.com books a series on an event type that repeats at its interval; add the event type for every "
                  + missing.map(String.init).joined(separator: ", ") + " weeks under \(join(path, service.id))",
                  "services.\(service.id).recurrence.every_weeks")
        }
    }
}
