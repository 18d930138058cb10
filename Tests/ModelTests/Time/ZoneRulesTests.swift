import Foundation
import Model
import Testing

/// The TZif reader against Foundation's ICU-backed TimeZone (the tests may link what the server
/// does not), and its parser against malformed files and rules.
@Suite struct ZoneRulesTests {
    /// Zones whose rules have not changed in recent tzdata releases, so the ICU data bundled with
    /// the toolchain and Debian's tzdata agree: both hemispheres, half- and quarter-hour offsets,
    /// a 30-minute and a 2-hour daylight saving shift, zones that dropped daylight saving time.
    static let zones = [
        "America/Chicago", "America/New_York", "America/Los_Angeles", "America/St_Johns", "America/Sao_Paulo",
        "America/Phoenix", "Europe/London", "Europe/Berlin", "Europe/Moscow", "Asia/Kolkata", "Asia/Kathmandu",
        "Asia/Tokyo", "Australia/Sydney", "Australia/Lord_Howe", "Australia/Adelaide", "Pacific/Auckland",
        "Pacific/Chatham", "Antarctica/Troll", "Africa/Johannesburg", "UTC",
    ]

    @Test(arguments: zones)
    func offsets_matchFoundation_from1980To2080(_ identifier: String) throws {
        let zone = try #require(TenantTimeZone(identifier: identifier))
        let reference = try #require(TimeZone(identifier: identifier))
        var mismatches: [String] = []
        // Every 7 h 13 min over a century lands on every hour of the day and most days.
        var instant: Int64 = 315_532_800   // 1980-01-01
        while instant < 3_471_292_800, mismatches.count < 5 {   // 2080-01-01
            let expected = reference.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant)))
            let actual = zone.secondsFromGMT(atUnixSeconds: instant)
            if actual != expected { mismatches.append("\(Timestamp.iso8601(seconds: instant)): \(actual) != \(expected)") }
            instant += 7 * 3600 + 13 * 60
        }
        #expect(mismatches.isEmpty, "\(identifier): \(mismatches)")
    }

    @Test func transitions_fallOnTheSecond() throws {
        let chicago = try #require(TenantTimeZone(identifier: "America/Chicago"))
        // 2031-03-09 08:00Z is 02:00 CST: the clocks go forward then (the footer's rule).
        let springForward: Int64 = 1_930_809_600
        #expect(chicago.secondsFromGMT(atUnixSeconds: springForward - 1) == -6 * 3600)
        #expect(chicago.secondsFromGMT(atUnixSeconds: springForward) == -5 * 3600)
        let sydney = try #require(TenantTimeZone(identifier: "Australia/Sydney"))
        // 2030-04-06 16:00Z is 03:00 AEDT on the first Sunday of April: back to standard time.
        let fallBack: Int64 = 1_901_721_600
        #expect(sydney.secondsFromGMT(atUnixSeconds: fallBack - 1) == 11 * 3600)
        #expect(sydney.secondsFromGMT(atUnixSeconds: fallBack) == 10 * 3600)
    }

    @Test func abbreviations_areTheDatabaseNames_orTheOffset() throws {
        let july2030: Int64 = 1_909_137_600
        let january2030: Int64 = 1_893_499_200
        #expect(TenantTimeZone(identifier: "America/Chicago")?.abbreviation(atUnixSeconds: july2030) == "CDT")
        #expect(TenantTimeZone(identifier: "America/Chicago")?.abbreviation(atUnixSeconds: january2030) == "CST")
        #expect(TenantTimeZone(identifier: "Europe/London")?.abbreviation(atUnixSeconds: july2030) == "BST")
        #expect(TenantTimeZone(identifier: "Europe/London")?.abbreviation(atUnixSeconds: january2030) == "GMT")
        #expect(TenantTimeZone(identifier: "America/Sao_Paulo")?.abbreviation(atUnixSeconds: july2030) == "GMT-3")
        #expect(TenantTimeZone(identifier: "Asia/Kathmandu")?.abbreviation(atUnixSeconds: july2030) == "GMT+5:45")
    }

    @Test(arguments: ["../../etc/passwd", "/etc/passwd", "America/../../etc/passwd", "America//Chicago", "America/.hidden",
                      "America/Chicago/", "America", "CST", "Mars/Olympus_Mons", "America/Chicago\u{0}x", ""])
    func unknownOrUnsafeNames_areRefused(_ identifier: String) {
        #expect(TenantTimeZone(identifier: identifier) == nil)
    }

    @Test func knownIdentifiers_includeZonesAndLinks() {
        let known = Set(TenantTimeZone.knownIdentifiers)
        #expect(known.contains("America/Chicago"))
        #expect(known.contains("US/Central"))   // a link
        #expect(!known.contains("UTC"))         // regions only
    }

    // MARK: The parser

    @Test func malformedFiles_throw() throws {
        let file = try #require(FileManager.default.contents(atPath: "/usr/share/zoneinfo/Europe/Berlin")).map { $0 }
        #expect(throws: ZoneRules.ParseError.notTZif) { try ZoneRules(tzif: Array("TZxf".utf8) + file.dropFirst(4)) }
        for length in [0, 10, 43, 44, 100, file.count / 2, file.count - 2] {
            #expect(throws: ZoneRules.ParseError.self) { try ZoneRules(tzif: Array(file.prefix(length))) }
        }
        // The first transition's type index in the 64-bit block, pointed past the types.
        func count(at offset: Int, _ field: Int) -> Int {
            (0..<4).reduce(0) { $0 << 8 | Int(file[offset + 20 + field * 4 + $1]) }
        }
        let (utc, standard, leap, times, types, characters) = (count(at: 0, 0), count(at: 0, 1), count(at: 0, 2),
                                                                count(at: 0, 3), count(at: 0, 4), count(at: 0, 5))
        let secondHeader = 44 + times * 5 + types * 6 + characters + leap * 8 + standard + utc
        #expect(file[secondHeader..<secondHeader + 4].elementsEqual("TZif".utf8))
        var badIndex = file
        badIndex[secondHeader + 44 + count(at: secondHeader, 3) * 8] = 0xFF
        #expect(throws: ZoneRules.ParseError.invalid("transition type out of range")) { try ZoneRules(tzif: badIndex) }
        _ = try ZoneRules(tzif: file)
    }

    @Test(arguments: [
        ("CST6CDT,M3.2.0,M11.1.0", true), ("<-03>3", true), ("AEST-10AEDT,M10.1.0,M4.1.0/3", true),
        ("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", true), ("EST5EDT", true), ("XXX3EDT4,0/0,J365/25", true),
        ("<-02>2<-01>,M3.5.0/-1,M10.5.0/0", true), ("IST-1GMT0,M10.5.0,M3.5.0/1", true),
        ("", false), ("C6", false), ("CST", false), ("CST6CDT,M13.2.0,M11.1.0", false), ("CST6CDT,M3.2.0", false),
        ("CST6CDT,M3.2.0,M11.1.0,", false), ("<CST6", false), ("CST200", false), ("CST6CDT,J0,J365", false),
    ])
    func footers_parseOrAreRefused(_ rule: String, _ valid: Bool) {
        #expect((ZoneRules(posixRule: rule) != nil) == valid, "\(rule)")
    }

    @Test func footer_permanentDaylightSaving_andNegativeTimes() throws {
        // DST from Jan 1 00:00 to Dec 31 25:00: all year.
        let permanent = try #require(ZoneRules(posixRule: "XXX3EDT4,0/0,J365/25"))
        for instant: Int64 in [1_893_456_000, 1_909_137_600, 1_924_991_999] {
            #expect(permanent.type(atUnixSeconds: instant).offsetSeconds == -4 * 3600)
        }
        // Greenland from 2024: -02 with -01 from the last Sunday of March at -01:00 local.
        let nuuk = try #require(ZoneRules(posixRule: "<-02>2<-01>,M3.5.0/-1,M10.5.0/0"))
        // 2030-03-31 (last Sunday) at -01:00 local is 2030-03-30 23:00 local = 2030-03-31 01:00Z.
        let start: Int64 = 1_901_149_200
        #expect(nuuk.type(atUnixSeconds: start - 1).offsetSeconds == -2 * 3600)
        #expect(nuuk.type(atUnixSeconds: start).offsetSeconds == -1 * 3600)
    }
}
