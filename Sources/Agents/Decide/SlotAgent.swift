import Integration
import Model

/// `decide.slot`: a start time for the job that honours business hours, closed dates, the
/// service's lead time, duration and weekdays, and the bookings already in the calendar (the
/// scheduling provider's free slots). What the customer asked for comes first; when it is
/// closed, not one of the calendar's start times, or taken, the outcome is `conflict` with the
/// nearest alternatives and `conflict.kind` `closed`, `off_grid` or `taken`.
public struct SlotAgent: Agent {
    public let name = "decide.slot"
    public let hasEffects = false

    public init() {}

    public func run(_ input: StepInput) async -> StepResult {
        guard let service = input.service else {
            return .outcome(.notFound, "no service to schedule", reasons: ["slot search needs a recognised service"])
        }
        guard let scheduling = input.providers.scheduling,
              let eventType = input.config.integrations[.scheduling]?.eventTypes[service.id] else {
            return .outcome(.notFound, "no calendar for \(service.name)",
                            reasons: ["integrations.scheduling.event_types has no entry for \(service.id)"])
        }
        let series = SeriesRequest.check(input, service: service)
        if case .refused(let reason) = series {
            return .outcome(.notFound, "not a series \(service.name) offers", reasons: [reason])
        }
        let config = input.config
        let zone = config.identity.timeZone
        let searchDays = Int64(input.parameters["search_days"]?.integer ?? 7)
        let alternativesWanted = input.parameters["alternatives"]?.integer ?? 3
        let nowSeconds = input.now / 1000
        let earliest = nowSeconds + service.eligibility.leadTime.components.seconds
        let requested = RequestedTime.find(fields: input.interaction.fields, text: input.interaction.text, now: input.now, zone: zone)
        let searchStart = max(earliest, requested.map { min($0.start, $0.end - 1) } ?? earliest)
        let searchEnd = max(searchStart, earliest) + searchDays * 86_400

        // Ask the calendar for a day, then the next day, then windows twice as long each time
        // (2, 4, 8 days...), until one has a slot that fits: most answers come from the first day
        // or two, a full calendar still costs a handful of calls, providers bill by data, and every
        // answer is kept in the trace for what-if replays (two weeks of ten-minute slots asked at
        // once came to ~140 KB per interaction).
        var windows: [(Int64, Int64)] = []
        var windowStart = max(earliest, searchStart)
        repeat {
            let days = Int64(windows.count < 2 ? 1 : 1 << (windows.count - 1))
            let windowEnd = min(searchEnd, windowStart + days * 86_400)
            windows.append((windowStart, windowEnd))
            windowStart = windowEnd
        } while windowStart < searchEnd
        var slots: [Slot] = []
        var candidates: [Int64] = []
        let duration = service.duration(for: input.fields).components.seconds
        // Enough: a time that answers the request, or as many as would be offered instead.
        let enough: ([Int64]) -> Bool = { found in
            guard let requested else { return !found.isEmpty }
            let answers = found.contains { start in
                if let exact = requested.exact { return start == exact }
                return start >= requested.start && start < requested.end
            }
            if answers { return true }
            return found.count >= max(1, alternativesWanted)
        }
        for (index, (from, to)) in windows.enumerated() where !enough(candidates) {
            do {
                slots += try await scheduling.availableSlots(
                    SlotQuery(eventTypeID: Int64(eventType), start: Timestamp.iso8601(seconds: from),
                              end: Timestamp.iso8601(seconds: to), timeZone: zone.identifier),
                    context: index == 0 ? input.callContext : input.callContext.forSubstep(index == 1 ? "more" : "more-\(index)"))
            } catch {
                return .failure("could not read the calendar", error: error)
            }
            candidates = slots.compactMap { slot -> Int64? in
                guard let millis = Timestamp.parseISO8601(slot.start) else { return nil }
                return millis / 1000
            }.filter { start in
                start >= earliest && Self.fits(start: start, duration: duration, service: service, config: config)
            }.sorted()
            candidates = await Self.withoutFullDays(candidates, service: service, zone: zone, ledger: input.ledger)
        }

        var reasons = ["\(slots.count) free slots from the calendar, \(candidates.count) within hours, lead time and closures"]
        guard !candidates.isEmpty else {
            return .outcome(.notFound, "no free slot in the next \(searchDays) days", reasons: reasons)
        }
        if let requested { reasons.append("the customer asked for \"\(requested.phrase)\"") }

        // Slots another execution is about to book are skipped (and the choice is held).
        let tenant = input.config.id.rawValue
        let owner = input.interaction.id.rawValue
        let seconds = input.now / 1000
        let claimable: (Int64) -> Bool = { start in
            input.slotHolds?.hold(tenant: tenant, start: start, for: owner, now: seconds) ?? true
        }
        let free = candidates.filter { !(input.slotHolds?.isHeld(tenant: tenant, start: $0, by: owner, now: seconds) ?? false) }
        if series != .none {
            let calendar = SeriesCalendar(input: input, service: service, scheduling: scheduling, eventType: Int64(eventType), series: series)
            // Everything free held by others: try the calendar's word, as for a one-off.
            return await Self.chooseSeries(calendar, requested: requested, free: free.isEmpty && requested == nil ? candidates : free,
                                           earliest: earliest,
                                           alternativesWanted: alternativesWanted, claimable: claimable, reasons: reasons)
        }
        let chosen: Int64?
        switch requested {
        case .some(let requested) where requested.exact != nil:
            chosen = free.first { $0 == requested.exact && claimable($0) }
        case .some(let requested):
            chosen = free.first { $0 >= requested.start && $0 < requested.end && claimable($0) }
        case .none:
            // Everything free is held by others: take the first anyway and let the calendar decide.
            chosen = free.first(where: claimable) ?? candidates.first
        }
        if let chosen {
            reasons.append("booked the first free time that fits: \(Timestamp.iso8601(seconds: chosen))")
            var slot = Self.slot(chosen, duration).objectValue ?? [:]
            slot["occurrences"] = [.string(Timestamp.iso8601(seconds: chosen))]
            return .ok("slot at \(Timestamp.iso8601(seconds: chosen))", reasons: reasons,
                       delta: ["slot": .object(slot), "alternatives": []])
        }
        // Not free then: closed (offer the next open times), not one of the calendar's start
        // times, or taken (the free times nearest to what was asked), in time order.
        let target = requested?.exact ?? requested?.start ?? earliest
        let closure = requested.flatMap { Self.closure(of: $0, duration: duration, service: service, config: config) }
        let calendarStarts = slots.compactMap { Timestamp.parseISO8601($0.start).map { $0 / 1000 } }
        let offGrid = closure == nil ? requested?.exact.flatMap { exact in
            Self.gridStep(missing: exact, calendarStarts: calendarStarts, duration: duration, zone: zone).map { (exact, $0) }
        } : nil
        let nearest: [Int64]
        if closure != nil, free.contains(where: { $0 >= target }) {
            nearest = Array(free.filter { $0 >= target }.prefix(max(1, alternativesWanted)))
        } else {
            nearest = free.sorted { abs($0 - target) < abs($1 - target) }.prefix(max(1, alternativesWanted)).sorted()
        }
        let conflict: JSON
        let summary: String
        if let closure {
            reasons.append(closure + "; offering \(nearest.count) alternatives")
            (conflict, summary) = (["kind": "closed", "reason": .string(closure)], "closed at the requested time")
        } else if let (exact, step) = offGrid {
            let reason = "\(config.identity.timePattern.format(zone.localTime(atUnixSeconds: exact), zoneAbbreviation: nil)) "
                + "is not one of our start times (they are every \(Self.spoken(seconds: step)))"
            reasons.append("the calendar's start times that day are every \(step / 60) minutes and the time asked is not one of them; "
                           + "offering the \(nearest.count) nearest")
            (conflict, summary) = (["kind": "off_grid", "reason": .string(reason)], "requested time is not a start time")
        } else {
            reasons.append("nothing free then; offering \(nearest.count) alternatives")
            (conflict, summary) = (["kind": "taken", "reason": "that time is taken"], "requested time taken")
        }
        return .outcome(.conflict, summary, reasons: reasons,
                        delta: ["alternatives": .array(nearest.map { Self.slot($0, duration) }), "conflict": conflict])
    }

    /// The step of the calendar's grid of start times when `time` is not on it; nil when it is
    /// (then it is taken) or the calendar lists no free start on that day to tell by. The grid
    /// is read from the free starts the calendar listed on the day of `time`: they lie every
    /// `step` from the first, the largest step that divides every gap between them and the
    /// service's duration (Cal.com's slot interval is the event's length unless set otherwise),
    /// so a gap left by bookings is never mistaken for the grid.
    static func gridStep(missing time: Int64, calendarStarts: [Int64], duration: Int64, zone: TenantTimeZone) -> Int64? {
        func day(_ instant: Int64) -> LocalDate {
            let local = zone.localTime(atUnixSeconds: instant)
            return LocalDate(year: local.year, month: local.month, day: local.day)
        }
        let date = day(time)
        let starts = calendarStarts.filter { day($0) == date }.sorted()
        guard let anchor = starts.first, duration > 0 else { return nil }
        func gcd(_ a: Int64, _ b: Int64) -> Int64 { b == 0 ? a : gcd(b, a % b) }
        let step = zip(starts, starts.dropFirst()).reduce(duration) { gcd($0, $1.1 - $1.0) }
        // Finer than five minutes is no grid a customer would be told about.
        guard step >= 300 else { return nil }
        return (time - anchor) % step == 0 ? nil : step
    }

    /// "90 minutes", "hour", "2 hours".
    static func spoken(seconds: Int64) -> String {
        let minutes = seconds / 60
        if minutes == 60 { return "hour" }
        if minutes % 60 == 0 { return "\(minutes / 60) hours" }
        return "\(minutes) minutes"
    }

    /// Within one range of the service's hours on its day (the tenant's business hours unless
    /// the service has its own), not on a closed date, on an allowed weekday.
    static func fits(start: Int64, duration: Int64, service: Service, config: TenantConfig) -> Bool {
        let zone = config.identity.timeZone
        let local = zone.localTime(atUnixSeconds: start)
        let date = LocalDate(year: local.year, month: local.month, day: local.day)
        let hours = service.bookingHours(in: config.identity)
        if hours.closedDates.contains(date) { return false }
        if let weekdays = service.eligibility.weekdays, !weekdays.contains(date.weekday) { return false }
        let from = local.hour * 60 + local.minute
        let to = from + Int(duration / 60)
        return hours.ranges(on: date.weekday).contains { range in
            from >= range.start.minutes && to <= range.end.minutes
        }
    }

    /// Why nothing of the service can start in the requested time, in words for the customer
    /// ("we're closed on Sundays"); nil when some start in it is within hours, so it was taken.
    static func closure(of requested: RequestedTime, duration: Int64, service: Service, config: TenantConfig) -> String? {
        let starts = requested.exact.map { [$0] } ?? Array(stride(from: requested.start, to: max(requested.end, requested.start + 1), by: 900))
        guard !starts.contains(where: { fits(start: $0, duration: duration, service: service, config: config) }) else { return nil }
        let zone = config.identity.timeZone
        let local = zone.localTime(atUnixSeconds: requested.exact ?? requested.start)
        let date = LocalDate(year: local.year, month: local.month, day: local.day)
        let hours = service.bookingHours(in: config.identity)
        let day = date.weekday.name.prefix(1).uppercased() + date.weekday.name.dropFirst()
        if hours.closedDates.contains(date) {
            let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            return "we're closed on \(day.prefix(3)), \(months[date.month - 1]) \(date.day)"
        }
        if let weekdays = service.eligibility.weekdays, !weekdays.contains(date.weekday) {
            return "we don't do \(service.name.lowercased()) on \(day)s"
        }
        let ranges = hours.ranges(on: date.weekday)
        guard !ranges.isEmpty else { return "we're closed on \(day)s" }
        return "we're closed then (\(day) hours are " + ranges.map { "\($0.start)–\($0.end)" }.joined(separator: ", ") + ")"
    }

    static func slot(_ start: Int64, _ duration: Int64) -> JSON {
        ["start": .string(Timestamp.iso8601(seconds: start)), "end": .string(Timestamp.iso8601(seconds: start + duration))]
    }

    /// Drops the days on which the service already has `max_per_day` bookings.
    static func withoutFullDays(_ candidates: [Int64], service: Service, zone: TenantTimeZone,
                                ledger: any InteractionLedger) async -> [Int64] {
        guard let maxPerDay = service.eligibility.maxPerDay, !candidates.isEmpty else { return candidates }
        func dayStart(_ instant: Int64) -> Int64 {
            let local = zone.localTime(atUnixSeconds: instant)
            return zone.unixSeconds(on: LocalDate(year: local.year, month: local.month, day: local.day), at: TimeOfDay(minutes: 0))
        }
        var full: [Int64: Bool] = [:]
        var kept: [Int64] = []
        for start in candidates {
            let day = dayStart(start)
            if full[day] == nil {
                full[day] = await ledger.bookings(service: service.id, from: day, to: day + 86_400) >= maxPerDay
            }
            if full[day] == false { kept.append(start) }
        }
        return kept
    }
}
