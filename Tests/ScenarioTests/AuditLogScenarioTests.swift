import Integration
import Model
import Native
import Testing
@testable import App

/// The audit log over real HTTP: operator actions with the key that made them, refused ones too,
/// and each configuration version a reload brought in.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct AuditLogScenarioTests {
    static let tenant = "acme-plumbing"

    static func audit(_ harness: Harness, query: String = "") async throws -> [JSON] {
        let answer = try await harness.call("GET", "/v1/tenants/\(tenant)/audit\(query)", key: Harness.acmeOperatorKey)
        #expect(answer.status == 200, "\(answer.bodyText)")
        return answer.json?["data"]?.arrayValue ?? []
    }

    @Test func approvalsAndReplays_areRecordedWithTheKeyName_refusedOnesToo() async throws {
        let harness = try Harness()
        let parked = try await AcmePlumbingTests.askLargeQuote(harness, phone: "+15125550171", name: "Sam")
        #expect(parked.json?["status"] == "awaiting_approval", "\(parked.bodyText)")
        let id = try #require(parked.json?["id"]?.stringValue)
        let approved = try await harness.call("POST", "/v1/tenants/\(Self.tenant)/interactions/\(id)/approve", key: Harness.acmeOperatorKey,
                                              json: ["by": "Sam at the desk", "note": "customer called"])
        #expect(approved.status == 200, "\(approved.bodyText)")
        let replay = try await harness.call("POST", "/v1/tenants/\(Self.tenant)/interactions/\(id)/replay", key: Harness.acmeOperatorKey)
        #expect(replay.status == 409)
        // Neither the viewer nor the website reaches the log, and their refusals are not actions.
        for key in ["acme-owner-view-2026", Harness.acmeKey] {
            let refused = try await harness.call("GET", "/v1/tenants/\(Self.tenant)/audit", key: key)
            #expect(refused.status == 403, "\(refused.bodyText)")
        }

        let entries = try await Self.audit(harness, query: "?action=approve")
        #expect(entries.count == 1)
        #expect(entries.first?["actor"] == "dispatch" && entries.first?["target"]?.stringValue == id && entries.first?["outcome"] == "done")
        #expect(entries.first?["detail"]?["by"] == "Sam at the desk" && entries.first?["detail"]?["note"] == "customer called")
        let replays = try await Self.audit(harness, query: "?action=replay")
        #expect(replays.count == 1 && replays.first?["actor"] == "dispatch")
        #expect(replays.first?["outcome"]?.stringValue?.contains("only failed or dead ones can be replayed") == true, "\(replays)")

        let bad = try await harness.call("GET", "/v1/tenants/\(Self.tenant)/audit?action=delete", key: Harness.acmeOperatorKey)
        #expect(bad.status == 422 && bad.bodyText.contains("approve, reject, replay, reload"), "\(bad.bodyText)")
        // Pages: newest first, then older ones with next_before.
        let first = try await harness.call("GET", "/v1/tenants/\(Self.tenant)/audit?limit=1", key: Harness.acmeOperatorKey)
        let next = try #require(first.json?["next_before"]?.intValue)
        let older = try await harness.call("GET", "/v1/tenants/\(Self.tenant)/audit?limit=1&before=\(next)", key: Harness.acmeOperatorKey)
        #expect(first.json?["data"]?[0]?["action"] == "replay" && older.json?["data"]?[0]?["action"] == "approve", "\(older.bodyText)")
    }

    @Test func eachVersionAReloadBringsIn_isRecorded_withWhatCausedItAndTheOneBefore() async throws {
        let directory = try FileSystem.makeTemporaryDirectory(prefix: "switchboard-audit")
        defer { FileSystem.removeTree(directory) }
        let path = directory + "/acme-plumbing.yaml"
        let original = try FileSystem.readFile(Harness.repositoryPath("tenants/acme-plumbing.yaml"))
        try FileSystem.writeFileAtomically(path, original)
        let harness = try Harness { $0.tenantsDirectory = directory }

        let startUp = try await Self.waitForReloads(harness, count: 1)
        let firstVersion = try #require(startUp.first?["target"]?.stringValue)
        #expect(startUp.first?["actor"] == "start-up" && startUp.first?["detail"]?["previous"] == .null)

        // An edit the watcher picks up.
        try FileSystem.writeFileAtomically(path, original + Array("\n# edited for the audit test\n".utf8))
        let afterEdit = try await Self.waitForReloads(harness, count: 2)
        #expect(afterEdit.first?["actor"] == "file change", "\(afterEdit)")
        #expect(afterEdit.first?["detail"]?["previous"]?.stringValue == firstVersion)
        let secondVersion = try #require(afterEdit.first?["target"]?.stringValue)
        #expect(secondVersion != firstVersion)

        // A broken edit brings no version in; SIGHUP's reload of the fixed file does.
        try FileSystem.writeFileAtomically(path, Array("tenant: [\n".utf8))
        try await Task.sleep(nanoseconds: 600_000_000)
        try FileSystem.writeFileAtomically(path, original)
        harness.app.reload()
        let afterFix = try await Self.waitForReloads(harness, count: 3)
        #expect(afterFix.first?["target"]?.stringValue == firstVersion && afterFix.first?["detail"]?["previous"]?.stringValue == secondVersion,
                "\(afterFix)")
    }

    /// The tenant's reload entries, newest first, once there are `count` of them.
    static func waitForReloads(_ harness: Harness, count: Int) async throws -> [JSON] {
        var entries: [JSON] = []
        for _ in 0..<100 {
            entries = try await audit(harness, query: "?action=reload")
            if entries.count >= count { return entries }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        Issue.record("expected \(count) reload entries, found \(entries)")
        return entries
    }
}
