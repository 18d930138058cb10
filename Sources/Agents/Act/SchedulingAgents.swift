import Integration
import Model

/// `scheduling.book`: creates the booking for the chosen slot. Cal.com has no idempotency key,
/// so the booking goes through the effect journal: a re-run after a crash never books twice.
public struct BookAgent: Agent {
    public let name = "scheduling.book"
    public let hasEffects = true

    public init() {}

    public func run(_ input: StepInput) async -> StepResult {
        guard let service = input.service, let start = input.string("slot.start") else {
            return .outcome(.error, "nothing to book", reasons: ["booking needs a service and a slot"])
        }
        // The price goes with what is booked: evaluated again for this slot before booking it.
        var priced = input
        var newPrice: (price: JSONObject, summary: String)?
        let repricingReasons: [String]
        switch await reprice(input, service: service, start: start) {
        case .stop(let result):
            return result
        case .keep(let reasons):
            repricingReasons = reasons
        case .apply(let price, let summary, let reasons):
            repricingReasons = reasons
            newPrice = (price, summary)
            priced.context["price"] = .object(price)
        }
        var result = await book(priced, service: service, start: start)
        result.decision.reasons = repricingReasons + result.decision.reasons
        if let newPrice, result.outcome == .ok {
            result.delta["price"] = .object(newPrice.price)
            result.decision.summary += "; \(newPrice.summary)"
        }
        return result
    }

    private func book(_ input: StepInput, service: Service, start: String) async -> StepResult {
        guard let scheduling = input.providers.scheduling,
              let eventType = input.config.integrations[.scheduling]?.eventTypes[service.id] else {
            return .outcome(.error, "no calendar for \(service.name)", reasons: ["integrations.scheduling.event_types has no \(service.id)"])
        }
        let email = input.string("customer.email") ?? input.interaction.from.email
        let phone = input.string("customer.phone") ?? input.interaction.from.phone
        // Never blank at the calendar: the CRM's or the request's name, one said in the text, else how to reach them.
        let name = input.string("customer.name") ?? input.interaction.from.name ?? NameInText.find(input.interaction.text)
        let attendee = Attendee(name: name ?? phone ?? email ?? "Customer", email: email, phoneNumber: phone,
                                timeZone: input.config.identity.timeZone.identifier)
        let request = BookingRequest(eventTypeID: Int64(eventType), start: start, attendee: attendee,
                                     lengthInMinutes: Int(service.duration(for: input.fields).components.seconds / 60),
                                     metadata: Self.metadata(input, service: service))
        let series = SeriesRequest.check(input, service: service)
        switch series {
        case .refused(let reason):
            return .outcome(.error, "not booked: \(reason)", reasons: [reason])
        case .series(let weeks, _, _, _):
            let first = (Timestamp.parseISO8601(start) ?? 0) / 1000
            let count = series.starts(from: first, zone: input.config.identity.timeZone).count
            guard count > 1 else {
                return .outcome(.error, "not booked: a series from \(start) has room for one occurrence only",
                                reasons: ["the series asked for ends too soon; a one-off was not asked for"])
            }
            return await bookSeries(input, service: service, request: request, weeks: weeks, count: count, scheduling: scheduling)
        case .none:
            break
        }
        let context = input.callContext
        // After a crash during the call, the calendar is searched for the booking's key.
        let lookup = EffectLookup<BookedSlot> { hints in
            let found = try await scheduling.bookings(madeBy: .createBooking, eventTypeID: Int64(eventType),
                                                      createdAfter: Self.lookupStart(hints, input), context: context)
            return (found.first { $0.status != "cancelled" } ?? found.first).map { BookedSlot(uid: $0.uid, start: $0.start, end: $0.end) }
        }
        do {
            let result = try await input.effects.perform(
                "booking", provider: "calcom", operation: "createBooking", lookup: lookup,
                encode: { JSON.object(["uid": .string($0.uid), "start": .string($0.start), "end": $0.end.map { .string($0) } ?? .null]) },
                decode: { json in json["uid"]?.stringValue.map { BookedSlot(uid: $0, start: json["start"]?.stringValue ?? start, end: json["end"]?.stringValue) } },
                call: {
                    let booking = try await scheduling.createBooking(request, context: context)
                    return BookedSlot(uid: booking.uid, start: booking.start, end: booking.end)
                })
            guard let booked = result.value else {
                return StepResult(outcome: .error, decision: Decision("booking in doubt", reasons: [
                    "a crash interrupted the booking call and the calendar could not be searched; not repeated — the operator "
                    + "must check the calendar for a booking whose metadata switchboard_key is "
                    + context.idempotencyKey(for: "calcom.createBooking")], errorKind: "in_doubt"))
            }
            let end = booked.end ?? input.string("slot.end") ?? ""
            return .ok("booked \(service.name) at \(booked.start)", reasons: ["booking \(booked.uid)"],
                       delta: ["booking": ["id": .string(booked.uid), "start": .string(booked.start), "end": .string(end),
                                           "occurrences": [.string(booked.start)]]])
        } catch let error as ProviderError where error.kind == .conflict {
            return .outcome(.conflict, "the slot was taken meanwhile", reasons: [error.description])
        } catch {
            return .failure("could not book", error: error)
        }
    }
}

extension BookAgent {
    /// Bookings created since five minutes before the intent was recorded (clocks differ), or
    /// before the interaction arrived for an intent recorded without the time.
    static func lookupStart(_ hints: JSONObject, _ input: StepInput) -> String {
        Timestamp.iso8601(millis: (hints["intended_at"]?.intValue ?? input.interaction.receivedAt) - 300_000)
    }

    /// The booking's metadata: whose it is, and the price it was booked at (`price_total` in
    /// the currency's decimal form, as re-evaluated for this slot).
    static func metadata(_ input: StepInput, service: Service) -> [String: String] {
        var metadata = ["interaction_id": input.interaction.id.rawValue, "tenant": input.config.id.rawValue, "service": service.id]
        if let total = input.value("price.total")?.intValue {
            let currency = input.config.identity.currency
            metadata["price_total"] = Money(minorUnits: total, currency: currency).decimalText
            metadata["currency"] = currency.code
        }
        return metadata
    }
}

struct BookedSlot: Sendable {
    var uid: String
    var start: String
    var end: String?
    /// The `recurringBookingUid` of the series it is an occurrence of.
    var series: String? = nil
}

/// `scheduling.cancel`: cancels the interaction's booking (a compensation, or on request); for a
/// series, every occurrence (`cancelSubsequentBookings` from the first).
public struct CancelBookingAgent: Agent {
    public let name = "scheduling.cancel"
    public let hasEffects = true

    public init() {}

    public func run(_ input: StepInput) async -> StepResult {
        guard let uid = input.string("booking.id") ?? input.string("event.booking_id") else {
            return .ok("nothing to cancel", reasons: ["no booking was made"])
        }
        guard let scheduling = input.providers.scheduling else {
            return .outcome(.error, "no scheduling integration", reasons: [])
        }
        let reason = input.string("cancellation.reason") ?? "cancelled by \(input.config.identity.name)"
        let context = input.callContext
        // The interaction's own series (a compensation): its first occurrence and every later one.
        let isSeries = input.string("booking.id") == uid && input.value("booking.recurrence.id") != nil
        do {
            let result = try await input.effects.perform(
                "cancel", provider: "calcom", operation: isSeries ? "cancelSubsequentBookings" : "cancelBooking",
                encode: { JSON.string($0) }, decode: { $0.stringValue },
                call: {
                    if isSeries { return try await scheduling.cancelSubsequentBookings(uid: uid, reason: reason, context: context).first?.uid ?? uid }
                    return try await scheduling.cancelBooking(uid: uid, reason: reason, context: context).uid
                })
            guard result.value != nil else {
                return .ok("cancellation in doubt (not repeated)", delta: ["cancellation": ["id": .string(uid)]])
            }
            return StepResult(outcome: .ok, delta: ["cancellation": ["id": .string(uid)]], decision: Decision("cancelled booking \(uid)"),
                              undone: Undo(subject: "booking", text: "the booking was cancelled"))
        } catch let error as ProviderError where error.kind == .notFound {
            return StepResult(outcome: .ok, delta: ["cancellation": ["id": .string(uid)]],
                              decision: Decision("booking \(uid) was already gone", reasons: [error.description]),
                              undone: Undo(subject: "booking", text: "the booking was cancelled"))
        } catch {
            return .failure("could not cancel booking \(uid)", error: error)
        }
    }
}
