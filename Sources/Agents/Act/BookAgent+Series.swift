import Integration
import Model

extension BookAgent {
    /// Books a series on the service's event type repeating every `weeks` weeks, through the
    /// effect journal like a single booking: a re-run replays the recorded occurrences, and a
    /// crash during the call leaves it in doubt, never booked twice. Each occurrence carries the
    /// call's key in its metadata.
    func bookSeries(_ input: StepInput, service: Service, request: BookingRequest, weeks: Int, count: Int,
                    scheduling: any SchedulingProvider) async -> StepResult {
        guard let eventType = input.config.integrations[.scheduling]?.recurringEventTypes[service.id]?[weeks] else {
            return .outcome(.error, "no calendar for \(service.name) every \(weeks) weeks",
                            reasons: ["integrations.scheduling.recurring_event_types has no \(service.id).\(weeks)"])
        }
        var request = request
        request.eventTypeID = Int64(eventType)
        let seriesRequest = request
        let context = input.callContext
        do {
            let lookup = EffectLookup<[BookedSlot]> { hints in
                let found = try await scheduling.bookings(madeBy: .createRecurringBooking, eventTypeID: Int64(eventType),
                                                          createdAfter: Self.lookupStart(hints, input), context: context)
                return found.isEmpty ? nil : found.map { BookedSlot(uid: $0.uid, start: $0.start, end: $0.end, series: $0.recurringBookingUid) }
            }
            let result = try await input.effects.perform(
                "booking", provider: "calcom", operation: "createRecurringBooking", lookup: lookup,
                encode: { (booked: [BookedSlot]) in JSON.array(booked.map(Self.encode)) },
                decode: { json in json.arrayValue.map { $0.compactMap(Self.decode) }.flatMap { $0.isEmpty ? nil : $0 } },
                call: {
                    try await scheduling.createRecurringBooking(seriesRequest, count: count, context: context).map {
                        BookedSlot(uid: $0.uid, start: $0.start, end: $0.end, series: $0.recurringBookingUid)
                    }
                })
            guard let booked = result.value, let first = booked.first else {
                return StepResult(outcome: .error, decision: Decision("series booking in doubt", reasons: [
                    "a crash interrupted the booking call and the calendar could not be searched; not repeated — the operator "
                    + "must check the calendar for bookings whose metadata switchboard_key is \(context.idempotencyKey(for: "calcom.createRecurringBooking"))"], errorKind: "in_doubt"))
            }
            let recurrence: JSON = [
                "id": .string(first.series ?? first.uid), "every_weeks": .int(Int64(weeks)), "count": .int(Int64(booked.count)),
                "bookings": .array(booked.map(Self.encode)),
            ]
            return .ok("booked \(booked.count) × \(service.name) every \(weeks) week\(weeks == 1 ? "" : "s") from \(first.start)",
                       reasons: ["series \(first.series ?? "?")"] + booked.map { "booking \($0.uid) at \($0.start)" },
                       delta: ["booking": ["id": .string(first.uid), "start": .string(first.start), "end": .string(first.end ?? ""),
                                           "occurrences": .array(booked.map { .string($0.start) }), "recurrence": recurrence]])
        } catch let error as ProviderError where error.kind == .conflict {
            return .outcome(.conflict, "an occurrence of the series was taken meanwhile", reasons: [error.description])
        } catch {
            return .failure("could not book the series", error: error)
        }
    }

    static func encode(_ slot: BookedSlot) -> JSON {
        ["id": .string(slot.uid), "start": .string(slot.start), "end": slot.end.map { .string($0) } ?? .null,
         "series": slot.series.map { .string($0) } ?? .null]
    }

    static func decode(_ json: JSON) -> BookedSlot? {
        guard let uid = json["id"]?.stringValue, let start = json["start"]?.stringValue else { return nil }
        return BookedSlot(uid: uid, start: start, end: json["end"]?.stringValue, series: json["series"]?.stringValue)
    }
}
