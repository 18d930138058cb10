import Integration
import Model
import Native
import Testing
@testable import App

/// Journal retention over real HTTP: finished interactions older than `--retention-days` are
/// exported, then deleted with their steps, and the tenant's figures still count them.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct RetentionScenarioTests {
    static let tenant = AcmePlumbingTests.tenant

    @Test func oldFinishedInteractions_areExportedThenDeleted_andStillCounted() async throws {
        let folder = try FileSystem.makeTemporaryDirectory(prefix: "switchboard-retention")
        defer { FileSystem.removeTree(folder) }
        let harness = try Harness { $0.retention = JournalRetention.Settings(keepDays: 30, exportDirectory: folder + "/traces") }
        let booked = try await AcmePlumbingTests.book(harness, phone: "+15125550191")
        let refused = try await AcmePlumbingTests.book(harness, phone: "+15125550192", postalCode: "10001")
        #expect(booked["status"] == "completed" && refused["status"] == "failed", "\(booked["reason"] ?? .null)")
        let ids = try [booked, refused].map { try #require($0["id"]?.stringValue) }
        let retention = try #require(harness.app.retention)

        // Today nothing is old enough; in a year both are (the booking's visit long past).
        #expect(await retention.runOnce(now: Clock.unixMillis()) == 0)
        #expect(await retention.runOnce(now: Clock.unixMillis() + 400 * 86_400_000) == 2)

        for id in ids {
            let gone = try await harness.call("GET", "/v1/tenants/\(Self.tenant)/interactions/\(id)", key: Harness.acmeOperatorKey)
            #expect(gone.status == 404, "\(gone.bodyText)")
        }
        let list = try await harness.call("GET", "/v1/tenants/\(Self.tenant)/interactions", key: Harness.acmeOperatorKey)
        #expect(list.json?["data"]?.arrayValue?.isEmpty == true, "\(list.bodyText)")

        // Each trace was appended, whole, to the file of the day it was received.
        let day = Timestamp.day(unixMillis: Clock.unixMillis())
        let file = String(decoding: try FileSystem.readFile(folder + "/traces/\(Self.tenant)/\(day).jsonl"), as: UTF8.self)
        let lines = try file.split(separator: "\n").map { try JSONParser.parse(String($0)) }
        #expect(lines.compactMap { $0["id"]?.stringValue }.sorted() == ids.sorted())
        let exportedBooking = try #require(lines.first { $0["id"]?.stringValue == ids[0] })
        #expect(AcmePlumbingTests.states(exportedBooking) == AcmePlumbingTests.states(booked))
        #expect(exportedBooking["context"]?["booking"] != nil && exportedBooking["interaction"]?["from"]?["phone"] == "+15125550191")

        let stats = try await harness.call("GET", "/v1/tenants/\(Self.tenant)/stats?window=24h", key: Harness.acmeOperatorKey)
        #expect(stats.json?.value(at: "by_status.completed") == 1 && stats.json?.value(at: "by_status.failed") == 1,
                "\(stats.bodyText)")
        let metrics = try await harness.call("GET", "/metrics")
        #expect(metrics.bodyText.contains("switchboard_retired_interactions_total 2"), "\(metrics.bodyText.prefix(400))")
    }

    @Test func retentionFlags_areChecked() throws {
        func options(_ arguments: [String]) throws -> ServeOptions {
            try ServeOptions(ParsedFlags.parse(arguments, flags: ServeCommand.flags, switchNames: [], environment: [:]))
        }
        #expect(try options([]).retention == nil)
        #expect(try options(["--retention-days", "90", "--retention-export", "/var/lib/sb/traces"]).retention
                == JournalRetention.Settings(keepDays: 90, exportDirectory: "/var/lib/sb/traces"))
        #expect(try options(["--retention-days", "7"]).retention == JournalRetention.Settings(keepDays: 7, exportDirectory: nil))
        for bad in [["--retention-days", "0"], ["--retention-days", "a week"], ["--retention-export", "/tmp/x"]] {
            #expect(throws: UsageError.self, "\(bad)") { try options(bad) }
        }
    }
}
