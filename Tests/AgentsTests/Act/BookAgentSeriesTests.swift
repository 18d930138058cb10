import Integration
import Model
import Synchronization
import Testing
@testable import Agents

/// `scheduling.book` for a series: one recurring booking on the interval's event type, carrying
/// the step's key, and never a second one when the step runs again after a crash.
struct BookAgentSeriesTests {
    /// A calendar that counts the series it books.
    final class Calendar: SchedulingProvider, Sendable {
        let series = Mutex<[(BookingRequest, Int, String)]>([])

        func availableSlots(_ query: SlotQuery, context: CallContext) async throws -> [Slot] { [] }
        func createBooking(_ request: BookingRequest, context: CallContext) async throws -> Booking {
            Issue.record("a series was booked as a one-off")
            return Booking(uid: "one", status: "accepted", start: request.start)
        }
        func createRecurringBooking(_ request: BookingRequest, count: Int, context: CallContext) async throws -> [Booking] {
            let key = context.idempotencyKey(for: "calcom.createRecurringBooking")
            let number = series.withLock { $0.append((request, count, key)); return $0.count }
            let first = (Timestamp.parseISO8601(request.start) ?? 0) / 1000
            return (0..<count).map { index in
                Booking(uid: "b\(number)-\(index)", status: "accepted", start: Timestamp.iso8601(seconds: first + Int64(index) * 14 * 86_400),
                        recurringBookingUid: "series-\(number)")
            }
        }
        func cancelBooking(uid: String, reason: String, context: CallContext) async throws -> Booking {
            Booking(uid: uid, status: "cancelled", start: "")
        }
        func cancelSubsequentBookings(uid: String, reason: String, context: CallContext) async throws -> [Booking] { [] }
        func rescheduleBooking(uid: String, start: String, reason: String?, context: CallContext) async throws -> Booking {
            Booking(uid: uid, status: "accepted", start: start)
        }
    }

    /// The engine's journal in memory: an effect's result once done, or only its intent when a
    /// crash came during the call.
    final class Journal: EffectJournal, Sendable {
        enum Entry: Sendable { case intended, done(JSON) }
        let entries = Mutex<[String: Entry]>([:])

        func perform<T: Sendable>(_ name: String, provider: String, operation: String, lookup: EffectLookup<T>?, encode: @Sendable (T) -> JSON,
                                  decode: @Sendable (JSON) -> T?, call: @Sendable () async throws -> T) async throws -> EffectResult<T> {
            switch entries.withLock({ $0[name] }) {
            case .done(let json)?: if let value = decode(json) { return .replayed(value) }
            case .intended?: return .inDoubt
            case nil: break
            }
            entries.withLock { $0[name] = .intended }
            let value = try await call()
            entries.withLock { $0[name] = .done(encode(value)) }
            return .performed(value)
        }
    }

    static let zone = TenantTimeZone(identifier: "Europe/London")!

    static func input(calendar: Calendar, journal: Journal, recurrence: Recurrence = Recurrence(everyWeeks: [1, 2], maxCount: 6)) -> StepInput {
        var scheduling = Integration(role: .scheduling, provider: .calcom, baseURL: "https://cal.example", eventTypes: ["physio": 7])
        scheduling.recurringEventTypes = ["physio": [1: 71, 2: 72]]
        let config = TenantConfig(
            identity: TenantIdentity(id: "clinic", name: "Clinic", timeZone: zone, currency: Currency.known[0]),
            integrations: IntegrationsConfig(roles: [.scheduling: scheduling]),
            services: [Service(id: "physio", name: "Physio", duration: .seconds(1800), price: Money(minorUnits: 5500, currency: Currency.known[0]),
                               recurrence: recurrence)])
        let interaction = Interaction(id: InteractionID(unixMillis: 1_795_000_000_000, random: Array(repeating: 7, count: 10)), tenant: "clinic",
                                      channel: .api, receivedAt: 1_795_000_000_000, from: .init(phone: "+447700900111", name: "Kai"),
                                      service: "physio", fields: ["repeat_every_weeks": 2, "occurrences": 4])
        return StepInput(config: config, interaction: interaction,
                         context: ["service": ["id": "physio"], "slot": ["start": "2030-01-07T10:00:00Z", "end": "2030-01-07T10:30:00Z"]],
                         parameters: [:], providers: TenantProviders(scheduling: calendar), effects: journal, state: "book", sequence: 5,
                         ledger: EmptyLedger(), now: 1_795_000_000_000, deadline: UInt64.max, recorder: ProviderCallLog())
    }

    @Test func series_isOneRecurringBookingOnTheIntervalsEventType_withTheStepsKey() async throws {
        let calendar = Calendar()
        let input = Self.input(calendar: calendar, journal: Journal())
        let result = await BookAgent().run(input)
        #expect(result.outcome == .ok, "\(result.decision)")
        let calls = calendar.series.withLock { $0 }
        #expect(calls.count == 1)
        #expect(calls.first?.0.eventTypeID == 72)
        #expect(calls.first?.1 == 4)
        #expect(calls.first?.2 == "\(input.effectKeyBase):calcom.createRecurringBooking")
        let booking = JSON.object(result.delta)["booking"]
        #expect(booking?["id"] == "b1-0")
        #expect(booking?["occurrences"]?.arrayValue?.count == 4)
        #expect(booking?.value(at: "recurrence.id") == "series-1")
        #expect(booking?.value(at: "recurrence.every_weeks") == 2)
        #expect(booking?.value(at: "recurrence.bookings")?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["b1-0", "b1-1", "b1-2", "b1-3"])
    }

    @Test func rerunAfterTheSeriesWasBooked_replaysIt_withoutBookingAgain() async throws {
        let calendar = Calendar()
        let journal = Journal()
        let first = await BookAgent().run(Self.input(calendar: calendar, journal: journal))
        let again = await BookAgent().run(Self.input(calendar: calendar, journal: journal))
        #expect(again.outcome == .ok)
        #expect(calendar.series.withLock { $0.count } == 1)
        #expect(JSON.object(again.delta) == JSON.object(first.delta))
    }

    @Test func rerunAfterACrashDuringTheCall_isInDoubt_andNotRepeated() async throws {
        let calendar = Calendar()
        let journal = Journal()
        journal.entries.withLock { $0["booking"] = .intended }
        let input = Self.input(calendar: calendar, journal: journal)
        let result = await BookAgent().run(input)
        #expect(result.outcome == .error)
        #expect(result.decision.errorKind == "in_doubt")
        #expect(result.decision.reasons.first?.contains("\(input.effectKeyBase):calcom.createRecurringBooking") == true)
        #expect(calendar.series.withLock { $0.count } == 0)
    }

    @Test func seriesWithRoomForOneOccurrence_isNotBookedAsAOneOff() async {
        let calendar = Calendar()
        let ending = Recurrence(everyWeeks: [1, 2], until: LocalDate(year: 2030, month: 1, day: 20))
        let result = await BookAgent().run(Self.input(calendar: calendar, journal: Journal(), recurrence: ending))
        #expect(result.outcome == .error)
        #expect(result.decision.summary.hasSuffix("has room for one occurrence only"), "\(result.decision)")
        #expect(calendar.series.withLock { $0.count } == 0)
    }
}
