import Model
import Native

extension TenantFileDecoder {
    /// `recurrence: {every_weeks: [1, 2], max_count: 12, until: 2027-07-31}`; a single number of
    /// weeks may stand for a list of one (`every_weeks: 2`).
    func decodeRecurrence(_ map: MappingReader) -> Recurrence? {
        let weeksPath = join(map.path, "every_weeks")
        var weeks: [Int] = []
        if let node = map.required("every_weeks", what: "the weeks between occurrences, like [1, 2] for weekly and fortnightly") {
            let items = node.sequence ?? [node]
            if items.isEmpty { reader.error("list at least one interval, like [1] for weekly", at: node, path: weeksPath) }
            for (offset, item) in items.enumerated() {
                let itemPath = node.sequence == nil ? weeksPath : "\(weeksPath)[\(offset)]"
                if case .string(let text)? = item.value, Int(text) == nil {
                    reader.error("expected a number of weeks (1 for weekly, 2 for fortnightly, 4 for four-weekly), got \"\(text)\"",
                                 at: item, path: itemPath)
                    continue
                }
                guard let value = reader.integer(item, path: itemPath, in: Recurrence.weeksRange) else { continue }
                if weeks.contains(value) {
                    reader.error("\(value) is listed twice; list each interval once", at: item, path: itemPath)
                } else {
                    weeks.append(value)
                }
            }
        }
        let maxCount = map.integer("max_count", in: Recurrence.countRange)
        var until: LocalDate?
        if let node = map.value("until"), let text = reader.string(node, path: join(map.path, "until")) {
            until = LocalDate.parse(text)
            if until == nil { reader.error("expected a date like 2027-07-31, got \"\(text)\"", at: node, path: join(map.path, "until")) }
        }
        if !map.contains("max_count") && !map.contains("until") {
            reader.error("missing \"max_count\" or \"until\": say how long a series may run (max_count: 12, or until: 2027-07-31)",
                         at: map.keyLocation, path: map.path)
        }
        map.finish()
        guard !weeks.isEmpty else { return nil }
        return Recurrence(everyWeeks: weeks, maxCount: maxCount, until: until)
    }

    /// `recurring_event_types: {follow_up: {1: 2212, 2: 2213}}`: per service, the Cal.com event
    /// type that repeats every N weeks.
    func decodeRecurringEventTypes(_ map: MappingReader) -> [String: [Int: Int]] {
        var types: [String: [Int: Int]] = [:]
        for entry in map.entries {
            guard let id = reader.identifier(entry.keyNode, path: entry.path),
                  let byWeeks = reader.mapping(entry.value, path: entry.path) else { continue }
            var perService: [Int: Int] = [:]
            for item in byWeeks.entries {
                guard let weeks = reader.integer(item.keyNode, path: item.path, in: Recurrence.weeksRange),
                      let number = reader.integer(item.value, path: item.path, in: 1...Int(Int32.max)) else { continue }
                perService[weeks] = number
            }
            types[id] = perService
        }
        return types
    }
}
