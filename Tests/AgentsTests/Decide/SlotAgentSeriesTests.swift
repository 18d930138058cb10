import Integration
import Model
import Synchronization
import Testing
@testable import Agents

/// `decide.slot` for a series: every occurrence must be free, else alternatives whose every
/// occurrence is.
struct SlotAgentSeriesTests {
    /// Hourly slots 09:00-16:00 UTC on weekdays, except the taken ones.
    final class Calendar: SchedulingProvider, Sendable {
        let taken: Set<Int64>
        let queries = Mutex(0)
        init(taken: Set<Int64> = []) { self.taken = taken }

        func availableSlots(_ query: SlotQuery, context: CallContext) async throws -> [Slot] {
            queries.withLock { $0 += 1 }
            let from = (Timestamp.parseISO8601(query.start) ?? 0) / 1000
            let to = (Timestamp.parseISO8601(query.end) ?? 0) / 1000
            var slots: [Slot] = []
            var day = from / 86_400
            while day * 86_400 < to {
                if (1...5).contains(Int(((day % 7) + 11) % 7)) {
                    for hour in Int64(9)..<17 {
                        let start = day * 86_400 + hour * 3600
                        if start >= from && start < to && !taken.contains(start) { slots.append(Slot(start: Timestamp.iso8601(seconds: start))) }
                    }
                }
                day += 1
            }
            return slots
        }
        func createBooking(_ request: BookingRequest, context: CallContext) async throws -> Booking { throw CancellationError() }
        func createRecurringBooking(_ request: BookingRequest, count: Int, context: CallContext) async throws -> [Booking] { [] }
        func cancelBooking(uid: String, reason: String, context: CallContext) async throws -> Booking { throw CancellationError() }
        func cancelSubsequentBookings(uid: String, reason: String, context: CallContext) async throws -> [Booking] { [] }
        func rescheduleBooking(uid: String, start: String, reason: String?, context: CallContext) async throws -> Booking {
            throw CancellationError()
        }
    }

    /// Monday 2030-01-07 10:00 UTC, asked for a week ahead.
    static let first: Int64 = 1_894_010_400
    static let now: Int64 = (first - 7 * 86_400) * 1000

    static func input(_ calendar: Calendar, fields: JSONObject, recurrence: Recurrence) -> StepInput {
        let utc = TenantTimeZone(identifier: "UTC")!
        let weekdays: [Weekday] = [.monday, .tuesday, .wednesday, .thursday, .friday]
        let hours = BusinessHours(ranges: Dictionary(uniqueKeysWithValues: weekdays.map {
            ($0, [TimeRange(start: TimeOfDay(hour: 9, minute: 0), end: TimeOfDay(hour: 17, minute: 0))])
        }))
        var scheduling = Integration(role: .scheduling, provider: .calcom, baseURL: "https://cal.example", eventTypes: ["physio": 7])
        scheduling.recurringEventTypes = ["physio": [1: 71]]
        let usd = Currency.known[0]
        let config = TenantConfig(identity: TenantIdentity(id: "clinic", name: "Clinic", timeZone: utc, currency: usd, hours: hours),
                                  integrations: IntegrationsConfig(roles: [.scheduling: scheduling]),
                                  services: [Service(id: "physio", name: "Physio", duration: .seconds(3600),
                                                     price: Money(minorUnits: 5500, currency: usd), recurrence: recurrence)])
        var all = fields
        all["requested_time"] = .string(Timestamp.iso8601(seconds: first))
        let interaction = Interaction(id: InteractionID(unixMillis: now, random: Array(repeating: 3, count: 10)), tenant: "clinic",
                                      channel: .api, receivedAt: now, service: "physio", fields: all)
        return StepInput(config: config, interaction: interaction, context: ["service": ["id": "physio"]],
                         parameters: ["alternatives": .integer(2)], providers: TenantProviders(scheduling: calendar),
                         effects: UnjournaledEffects(), state: "slot", sequence: 4, ledger: EmptyLedger(), now: now,
                         deadline: UInt64.max, recorder: ProviderCallLog())
    }

    @Test func freeSeries_isChosen_withEveryOccurrence() async {
        let calendar = Calendar()
        let result = await SlotAgent().run(Self.input(calendar, fields: ["repeat_every_weeks": 1, "occurrences": 3],
                                                      recurrence: Recurrence(everyWeeks: [1], maxCount: 6)))
        #expect(result.outcome == .ok, "\(result.decision)")
        let occurrences = JSON.object(result.delta).value(at: "slot.occurrences")?.arrayValue?.compactMap(\.stringValue)
        #expect(occurrences == [0, 7, 14].map { Timestamp.iso8601(seconds: Self.first + Int64($0) * 86_400) })
    }

    @Test func laterOccurrenceTaken_isAConflict_withAlternativesWhoseSeriesIsFree() async {
        // 10:00 and 11:00 are taken a week later: the series from 10:00 and from 11:00 clash.
        let calendar = Calendar(taken: [Self.first + 7 * 86_400, Self.first + 7 * 86_400 + 3600])
        let result = await SlotAgent().run(Self.input(calendar, fields: ["repeat_every_weeks": 1, "occurrences": 3],
                                                      recurrence: Recurrence(everyWeeks: [1], maxCount: 6)))
        #expect(result.outcome == .conflict, "\(result.decision)")
        let alternatives = JSON.object(result.delta)["alternatives"]?.arrayValue?.compactMap { $0["start"]?.stringValue }
        // The search starts at the time asked, as for a one-off: the next free series are from 12:00 and 13:00.
        #expect(alternatives == [Self.first + 2 * 3600, Self.first + 3 * 3600].map { Timestamp.iso8601(seconds: $0) })
        #expect(result.decision.reasons.contains { $0.hasPrefix("the 2nd occurrence (\(Timestamp.iso8601(seconds: Self.first + 7 * 86_400)))") },
                "\(result.decision.reasons)")
    }

    @Test func endDateLeavingOneOccurrence_isNoSeries_notAOneOff() async {
        let until = LocalDate(year: 2030, month: 1, day: 10)
        let result = await SlotAgent().run(Self.input(Calendar(), fields: ["repeat_every_weeks": 1],
                                                      recurrence: Recurrence(everyWeeks: [1], until: until)))
        #expect(result.outcome == .conflict || result.outcome == .notFound)
        #expect(JSON.object(result.delta)["slot"] == nil)
        #expect(result.decision.reasons.contains { $0.hasSuffix("has room for one occurrence only") }, "\(result.decision.reasons)")
    }
}
