import Testing
@testable import Model

struct ContextScopeTests {
    private let hours = BusinessHours(ranges: [.saturday: [TimeRange.parse("08:00-14:00")!]],
                                      closedDates: [LocalDate(year: 2026, month: 12, day: 26)])

    private func scope(_ context: JSONObject, now: Int64 = 0, slotInstant: Int64? = nil) throws -> ContextScope {
        ContextScope(context: context, timeZone: try #require(TenantTimeZone(identifier: "America/Chicago")), hours: hours, now: now, slotInstant: slotInstant)
    }

    @Test func slotKeys_areDerivedInTheTenantsZone() throws {
        // 2026-12-19T15:30Z is Saturday 9:30 AM in Austin.
        let context: JSONObject = ["slot": ["start": "2026-12-19T15:30:00Z"]]
        let scope = try scope(context)
        #expect(scope.value(of: ConditionKey(path: "slot.weekday", type: .weekday)) == .weekday(.saturday))
        #expect(scope.value(of: ConditionKey(path: "slot.time", type: .time)) == .time(TimeOfDay(hour: 9, minute: 30)))
        #expect(scope.value(of: ConditionKey(path: "slot.date", type: .date)) == .date(LocalDate(year: 2026, month: 12, day: 19)))
        #expect(scope.value(of: ConditionKey(path: "slot.within_hours", type: .bool)) == .bool(true))
        // A week later is a closed date.
        let closed = try self.scope(["slot": ["start": "2026-12-26T15:30:00Z"]])
        #expect(closed.value(of: ConditionKey(path: "slot.within_hours", type: .bool)) == .bool(false))
    }

    @Test func withoutASlot_thePricedInstant_andNow() throws {
        let scope = try scope([:], now: 1_766_158_200_000, slotInstant: 1_766_181_600_000)  // now Fri 9:30 AM, priced Fri 4 PM
        #expect(scope.value(of: ConditionKey(path: "slot.time", type: .time)) == .time(TimeOfDay(hour: 16, minute: 0)))
        #expect(scope.value(of: ConditionKey(path: "now.time", type: .time)) == .time(TimeOfDay(hour: 9, minute: 30)))
        #expect(scope.value(of: ConditionKey(path: "now.weekday", type: .weekday)) == .weekday(.friday))
        #expect(try self.scope([:]).value(of: ConditionKey(path: "slot.time", type: .time)) == nil)
    }

    @Test func contextValues_areReadByTheirType() throws {
        let context: JSONObject = ["price": ["total": 25_000], "customer": ["tags": ["member"], "is_new": false],
                                   "fields": ["bedrooms": 3, "size": "large", "move_date": "2026-12-24", "count": "x"]]
        let scope = try scope(context)
        #expect(scope.value(of: ConditionKey(path: "price.total", type: .money)) == .money(25_000))
        #expect(scope.value(of: ConditionKey(path: "customer.tags", type: .list(nil))) == .list(["member"]))
        #expect(scope.value(of: ConditionKey(path: "customer.is_new", type: .bool)) == .bool(false))
        #expect(scope.value(of: ConditionKey(path: "fields.bedrooms", type: .number)) == .number(3))
        #expect(scope.value(of: ConditionKey(path: "fields.size", type: .choice(["large"]))) == .text("large"))
        #expect(scope.value(of: ConditionKey(path: "fields.move_date", type: .date)) == .date(LocalDate(year: 2026, month: 12, day: 24)))
        #expect(scope.value(of: ConditionKey(path: "fields.count", type: .number)) == nil)
        #expect(scope.value(of: ConditionKey(path: "fields.absent", type: .text)) == nil)
    }
}
