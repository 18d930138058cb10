import Integration
import Model

extension SlotAgent {
    /// Whether every later occurrence of a series is free: within hours, not on a closed date or
    /// a full day, and free in the calendar. The calendar is asked once per local day an
    /// occurrence falls on, and the answers are kept for the other candidates.
    final class SeriesCalendar {
        let input: StepInput
        let service: Service
        let scheduling: any SchedulingProvider
        let eventType: Int64
        let series: SeriesRequest
        private var freeByDay: [Int64: Set<Int64>] = [:]
        private(set) var calls = 0

        init(input: StepInput, service: Service, scheduling: any SchedulingProvider, eventType: Int64, series: SeriesRequest) {
            self.input = input
            self.service = service
            self.scheduling = scheduling
            self.eventType = eventType
            self.series = series
        }

        /// The first occurrence after `first` that is not free, or nil when the whole series is.
        func clash(from first: Int64) async throws -> (index: Int, start: Int64)? {
            let config = input.config
            let zone = config.identity.timeZone
            let duration = service.duration.components.seconds
            for (index, start) in series.starts(from: first, zone: zone).enumerated().dropFirst() {
                guard SlotAgent.fits(start: start, duration: duration, service: service, config: config),
                      try await free(on: start).contains(start),
                      await !SlotAgent.withoutFullDays([start], service: service, zone: zone, ledger: input.ledger).isEmpty else {
                    return (index, start)
                }
            }
            return nil
        }

        private func free(on start: Int64) async throws -> Set<Int64> {
            let zone = input.config.identity.timeZone
            let local = zone.localTime(atUnixSeconds: start)
            let day = zone.unixSeconds(on: LocalDate(year: local.year, month: local.month, day: local.day), at: TimeOfDay(minutes: 0))
            if let known = freeByDay[day] { return known }
            calls += 1
            let slots = try await scheduling.availableSlots(
                SlotQuery(eventTypeID: eventType, start: Timestamp.iso8601(seconds: day), end: Timestamp.iso8601(seconds: day + 86_400),
                          timeZone: zone.identifier),
                context: input.callContext.forSubstep("series-\(calls)"))
            let starts = Set(slots.compactMap { Timestamp.parseISO8601($0.start).map { $0 / 1000 } })
            freeByDay[day] = starts
            return starts
        }
    }

    /// Words for an occurrence: "the 3rd occurrence (2026-12-22T10:00:00Z)".
    static func describeOccurrence(_ index: Int, _ start: Int64) -> String {
        let number = index + 1
        let suffix = (11...13).contains(number % 100) ? "th" : [1: "st", 2: "nd", 3: "rd"][number % 10] ?? "th"
        return "the \(number)\(suffix) occurrence (\(Timestamp.iso8601(seconds: start)))"
    }

    static func occurrences(_ series: SeriesRequest, first: Int64, zone: TenantTimeZone) -> JSON {
        .array(series.starts(from: first, zone: zone).map { .string(Timestamp.iso8601(seconds: $0)) })
    }
}

extension SlotAgent {
    /// Candidates whose series is checked before giving up: each can cost a calendar call per
    /// later occurrence on a day not asked about yet.
    static let seriesCandidateBudget = 12

    /// The first free start (among what the customer asked for) whose whole series is free; when
    /// the one asked for clashes, `conflict` with alternatives whose series are free.
    static func chooseSeries(_ calendar: SeriesCalendar, requested: RequestedTime?, free: [Int64], earliest: Int64,
                             alternativesWanted: Int, claimable: (Int64) -> Bool, reasons: [String]) async -> StepResult {
        var reasons = reasons
        let zone = calendar.input.config.identity.timeZone
        let duration = calendar.service.duration(for: calendar.input.fields).components.seconds
        let weeks = calendar.series.everyWeeks ?? 1
        var clashing: Set<Int64> = []
        var firstClash: String?
        var checked = 0
        func seriesIsFree(_ start: Int64) async throws -> Bool {
            checked += 1
            // An end date that leaves room for one occurrence only is no series.
            guard calendar.series.starts(from: start, zone: zone).count > 1 else {
                clashing.insert(start)
                if firstClash == nil { firstClash = "a series from \(Timestamp.iso8601(seconds: start)) has room for one occurrence only" }
                return false
            }
            guard let clash = try await calendar.clash(from: start) else { return true }
            clashing.insert(start)
            if firstClash == nil {
                firstClash = "\(describeOccurrence(clash.index, clash.start)) of the series from \(Timestamp.iso8601(seconds: start)) is taken"
            }
            return false
        }
        let wanted: [Int64]
        switch requested {
        case .some(let requested) where requested.exact != nil: wanted = free.filter { $0 == requested.exact }
        case .some(let requested): wanted = free.filter { $0 >= requested.start && $0 < requested.end }
        case .none: wanted = free
        }
        do {
            for start in wanted.prefix(seriesCandidateBudget) where try await seriesIsFree(start) && claimable(start) {
                let occurrences = occurrences(calendar.series, first: start, zone: zone)
                reasons.append("every \(weeks) week\(weeks == 1 ? "" : "s"): all \(occurrences.arrayValue?.count ?? 0) occurrences are free")
                var slot = Self.slot(start, duration).objectValue ?? [:]
                slot["occurrences"] = occurrences
                return .ok("series from \(Timestamp.iso8601(seconds: start))", reasons: reasons,
                           delta: ["slot": .object(slot), "alternatives": []])
            }
            if let firstClash { reasons.append(firstClash) }
            guard requested != nil else {
                return .outcome(.notFound, "no free series in the search window", reasons: reasons + ["checked \(checked) first occurrences"])
            }
            // Taken: the nearest first occurrences whose whole series is free, in time order.
            let target = requested?.exact ?? requested?.start ?? earliest
            var alternatives: [Int64] = []
            for start in free.sorted(by: { abs($0 - target) < abs($1 - target) }) where !clashing.contains(start) {
                if alternatives.count >= max(1, alternativesWanted) || checked >= 2 * seriesCandidateBudget { break }
                if try await seriesIsFree(start) { alternatives.append(start) }
            }
            guard !alternatives.isEmpty else {
                return .outcome(.notFound, "no free series near the time asked", reasons: reasons + ["checked \(checked) first occurrences"])
            }
            reasons.append("offering \(alternatives.count) alternatives whose every occurrence is free")
            let conflict: JSON
            if let requested, let closure = closure(of: requested, duration: duration, service: calendar.service, config: calendar.input.config) {
                conflict = ["kind": "closed", "reason": .string(closure)]
            } else {
                conflict = ["kind": "taken", "reason": wanted.isEmpty ? "that time is taken" : "that time is taken for one of the later visits"]
            }
            return .outcome(.conflict, "the series asked for clashes", reasons: reasons,
                            delta: ["alternatives": .array(alternatives.sorted().map { Self.slot($0, duration) }), "conflict": conflict])
        } catch {
            return .failure("could not read the calendar", error: error)
        }
    }
}
