import Testing
@testable import Model

struct TimestampTests {
    @Test func civil_knownDates() {
        #expect(Timestamp.iso8601(seconds: 0) == "1970-01-01T00:00:00Z")
        #expect(Timestamp.iso8601(seconds: 1_795_306_550) == "2026-11-22T00:15:50Z")
        #expect(Timestamp.iso8601(millis: 951_782_400_123) == "2000-02-29T00:00:00.123Z")
        #expect(Timestamp.iso8601(seconds: -1) == "1969-12-31T23:59:59Z")
    }

    @Test func iso8601_withOffset_writesLocalTimeAndOffset() {
        #expect(Timestamp.iso8601(millis: 1_795_339_800_000, offsetSeconds: 3600) == "2026-11-22T10:30:00.000+01:00")
        #expect(Timestamp.iso8601(millis: 1_795_339_800_000, offsetSeconds: -5 * 3600 - 1800) == "2026-11-22T04:00:00.000-05:30")
        #expect(Timestamp.iso8601(millis: 1_795_339_800_007, offsetSeconds: 0) == "2026-11-22T09:30:00.007Z")
        // Local midnight crossing backwards into the previous day.
        #expect(Timestamp.iso8601(millis: 1_795_305_600_000, offsetSeconds: -3600) == "2026-11-21T23:00:00.000-01:00")
    }

    @Test(arguments: [Int64(-86_400_123), -1, 0, 999, 1_795_339_800_250, 4_102_444_799_999])
    func iso8601_roundTripsThroughTheParser(_ millis: Int64) {
        #expect(Timestamp.parseISO8601(Timestamp.iso8601(millis: millis)) == millis)
        #expect(Timestamp.parseISO8601(Timestamp.iso8601(millis: millis, offsetSeconds: 19_800)) == millis)
        #expect(Timestamp.parseISO8601(Timestamp.iso8601(seconds: millis / 1000)) == millis / 1000 * 1000)
    }

    @Test func httpDate_isIMFFixdate() {
        #expect(Timestamp.httpDate(unixSeconds: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }

    @Test func parseISO8601_acceptsZoneOffsetsAndFractions() {
        #expect(Timestamp.parseISO8601("2026-11-22T09:30:00Z") == 1_795_339_800_000)
        #expect(Timestamp.parseISO8601("2026-11-22T10:30:00+01:00") == 1_795_339_800_000)
        #expect(Timestamp.parseISO8601("2026-11-22T09:30:00.250Z") == 1_795_339_800_250)
        #expect(Timestamp.parseISO8601("2026-11-22 09:30:00Z") == 1_795_339_800_000)
    }

    @Test(arguments: ["", "2026-11-22", "2026-13-01T00:00:00Z", "2026-11-22T25:00:00Z", "2026-11-22T09:30:00", "2026-11-22T09:30:00Zjunk"])
    func parseISO8601_rejectsMalformed(_ text: String) {
        #expect(Timestamp.parseISO8601(text) == nil)
    }

    @Test func daysFromCivil_roundTrips() {
        for days: Int64 in [-719_468, -1, 0, 1, 11_016, 20_779, 2_932_896] {
            let (y, m, d) = Timestamp.civilFromDays(days)
            #expect(Timestamp.daysFromCivil(year: y, month: m, day: d) == days)
        }
    }
}
