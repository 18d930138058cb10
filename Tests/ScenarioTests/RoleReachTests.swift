import HTTP
import Integration
import Model
import Native
import Testing
@testable import App

/// The reach of each key role, walked over real HTTP from the table in README.md ("Keys and
/// roles"), so the table and the server cannot drift apart: every row is called with Acme's api,
/// viewer and operator keys and must answer as its cell says, and every keyed route the router
/// has must have a row.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct RoleReachTests {
    static let tenant = "acme-plumbing"
    static let keys: [(role: String, key: String)] = [
        ("api", Harness.acmeKey), ("viewer", "acme-owner-view-2026"), ("operator", Harness.acmeOperatorKey),
    ]
    static let partnerKey = "acme-partner-key-2026"

    struct Row {
        var method: String
        /// As written, with `{t}`, `{id}` and `{key}` to fill in.
        var path: String
        /// Cells by role: `yes`, `403`, or `its own…`.
        var cells: [String: String]
    }

    /// The rows of README.md's "Keys and roles" table.
    static func table() throws -> [Row] {
        let readme = String(decoding: try FileSystem.readFile(Harness.repositoryPath("README.md")), as: UTF8.self)
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex(of: "### Keys and roles"), "README.md has no Keys and roles section")
        var rows: [Row] = []
        var header: [String] = []
        for line in lines[(start + 1)...] {
            if line.hasPrefix("#") { break }
            guard line.hasPrefix("|") else { continue }
            let cells = line.split(separator: "|").map { Self.trimmed($0, " ") }
            if header.isEmpty { header = cells; continue }
            if cells.allSatisfy({ $0.allSatisfy { $0 == "-" } }) { continue }
            let endpoint = Self.trimmed(Substring(cells[0]), "`").split(separator: " ", maxSplits: 1)
            var byRole: [String: String] = [:]
            for (role, cell) in zip(header.dropFirst(), cells.dropFirst()) { byRole[role] = cell }
            rows.append(Row(method: String(endpoint[0]), path: String(endpoint[1]), cells: byRole))
        }
        return rows
    }

    @Test func everyRowOfTheREADMEsTable_answersAsItSays_forEachRole() async throws {
        let harness = try Harness()
        let rows = try Self.table()
        #expect(rows.count >= 10)
        #expect(Set(rows.flatMap { $0.cells.keys }) == Set(Self.keys.map(\.role)))

        // Every keyed route of the router is in the table (webhooks and checkout pages take no key).
        let documented = Set(rows.map { "\($0.method) \($0.path.split(separator: "?")[0].replacing("{t}", with: "{tenant}"))" })
        for route in harness.app.router.routes where route.pattern.hasPrefix("/v1/tenants/{tenant}/")
            && !route.pattern.contains("/webhooks/") && !route.pattern.contains("/checkout/") {
            for method in route.methods {
                #expect(documented.contains("\(method.rawValue) \(route.pattern)"),
                        "\(method.rawValue) \(route.pattern) is not in README.md's Keys and roles table")
            }
        }

        // The website's request and a partner's, each final before the walk.
        let own = try await Self.book(harness, key: Harness.acmeKey, idempotencyKey: "walk-own", phone: "+15125550161")
        let others = try await Self.book(harness, key: Self.partnerKey, idempotencyKey: "walk-partner", phone: "+15125550162")

        for row in rows {
            let path = row.path.replacing("{t}", with: Self.tenant)
            for (role, key) in Self.keys {
                let cell = try #require(row.cells[role])
                let label = "\(row.method) \(row.path) as \(role)"
                if cell.hasPrefix("its own") {
                    // Its own answers; another key's is as if it did not exist.
                    let mine = try await Self.send(harness, row.method, Self.fill(path, id: own, key: "walk-own"), key: key)
                    let theirs = try await Self.send(harness, row.method, Self.fill(path, id: others, key: "walk-partner"), key: key)
                    #expect(mine.status == 200, "\(label), its own: \(mine.status) \(mine.bodyText)")
                    #expect(!theirs.bodyText.contains("+15125550162") && !theirs.bodyText.contains("Walker"),
                            "\(label) sees another key's interaction: \(theirs.bodyText)")
                    if row.path.contains("{id}") {
                        // The same 404 as an id that does not exist.
                        #expect(theirs.status == 404 && theirs.json?["error"]?["code"] == "not_found", "\(label), another's: \(theirs.status)")
                        Self.expectSummaryOnly(mine, label)
                    } else {
                        #expect(mine.json?["data"]?.arrayValue?.map { $0["id"]?.stringValue } == [own], "\(label): \(mine.bodyText)")
                        #expect(theirs.json?["data"]?.arrayValue?.isEmpty == true, "\(label), another's: \(theirs.bodyText)")
                        Self.expectSummaryOnly(mine, label, inList: true)
                    }
                    continue
                }
                let answer = try await Self.send(harness, row.method, Self.fill(path, id: own, key: "walk-own"), key: key)
                switch cell {
                case "yes":
                    #expect(answer.status != 401 && answer.status != 403, "\(label): \(answer.status) \(answer.bodyText)")
                    if row.method == "POST" && row.path.hasSuffix("/interactions") { #expect(answer.status == 202, "\(label)") }
                    if role != "api" && row.path.hasSuffix("/{id}") { #expect(answer.json?["steps"] != nil, "\(label) gets the whole trace") }
                case "403":
                    #expect(answer.status == 403, "\(label): \(answer.status) \(answer.bodyText)")
                    #expect(answer.json?["error"]?["code"]?.stringValue == "forbidden", "\(label): \(answer.bodyText)")
                    let message = answer.json?["error"]?["message"]?.stringValue ?? ""
                    #expect(message.contains("has the \(role) role"), "\(label) says which role the key has: \(message)")
                    let reaching = Self.keys.map(\.role).filter { row.cells[$0] == "yes" }
                    #expect(reaching.allSatisfy(message.contains), "\(label) names the roles that reach it (\(reaching)): \(message)")
                    #expect(!answer.bodyText.contains("+15125550161"), "\(label) leaked personal data")
                default:
                    Issue.record("\(label): README.md's cell \"\(cell)\" is not yes, 403 or its own")
                }
            }
            // No key, a wrong key, another tenant's key and an unknown tenant are all 401.
            let filled = Self.fill(path, id: own, key: "walk-own")
            for (key, target) in [(nil, filled), ("acme-wrong-key", filled), (Harness.riversideOperatorKey, filled),
                                  (Harness.acmeOperatorKey, filled.replacing(Self.tenant, with: "no-such-tenant"))] {
                let answer = try await Self.send(harness, row.method, target, key: key)
                #expect(answer.status == 401, "\(row.method) \(row.path) with \(key ?? "no key") on \(target): \(answer.status)")
            }
        }

        // The refused POSTs stored nothing: the two bookings and the api key's POST of the walk.
        let stored = try await harness.call("GET", "/v1/tenants/\(Self.tenant)/interactions?limit=50", key: Harness.acmeOperatorKey)
        #expect(stored.json?["data"]?.arrayValue?.count == 3, "\(stored.bodyText)")
    }

    @Test func anIdempotencyKeyOfAnotherKey_isRefusedWithoutItsID() async throws {
        let harness = try Harness()
        let theirs = try await Self.book(harness, key: Self.partnerKey, idempotencyKey: "shared-key", phone: "+15125550163")
        let body = Self.bookingBody(phone: "+15125550163")
        let again = try await harness.call("POST", "/v1/tenants/\(Self.tenant)/interactions", key: Harness.acmeKey, json: body,
                                           headers: [("Idempotency-Key", "shared-key")])
        #expect(again.status == 409)
        #expect(again.json?["error"]?["code"]?.stringValue == "idempotency_key_reused")
        #expect(!again.bodyText.contains(theirs), "the other key's interaction id leaked: \(again.bodyText)")
        // The partner itself still gets its replay: the interaction as it stands now, completed.
        let replay = try await harness.call("POST", "/v1/tenants/\(Self.tenant)/interactions", key: Self.partnerKey, json: body,
                                            headers: [("Idempotency-Key", "shared-key")])
        #expect(replay.status == 200 && replay.json?["id"]?.stringValue == theirs, "\(replay.bodyText)")
        #expect(replay.header("Idempotent-Replayed") == "true")
    }

    @Test func theAPIKeysOwnAnswers_carryNoPersonalData_andTheTraceNamesTheKey() async throws {
        let harness = try Harness()
        let answer = try await harness.call("POST", "/v1/tenants/\(Self.tenant)/interactions", key: Harness.acmeKey,
                                            json: ["from": ["phone": "+15125550164", "name": "Robin"], "text": "My kitchen sink is clogged",
                                                   "fields": ["postal_code": "78704"]],
                                            headers: [("Prefer", "wait=10")])
        #expect(answer.status == 200)
        Self.expectSummaryOnly(answer, "the answer to Prefer: wait")
        let id = try #require(answer.json?["id"]?.stringValue)
        let trace = try await harness.trace(Self.tenant, id, key: Harness.acmeOperatorKey)
        #expect(trace["interaction"]?["submitted_by"]?.stringValue == "website")
        #expect(trace["customer"]?.stringValue == "+15125550164")
        let whoami = try await harness.call("GET", "/v1/tenants/\(Self.tenant)/access", key: "acme-owner-view-2026")
        #expect(whoami.json?["role"]?.stringValue == "viewer" && whoami.json?["key"]?.stringValue == "owner")
        #expect(whoami.json?["actions"]?.arrayValue?.isEmpty == true)
    }

    // MARK: - Helpers

    static func trimmed(_ text: Substring, _ character: Character) -> String {
        var text = text
        while text.first == character { text = text.dropFirst() }
        while text.last == character { text = text.dropLast() }
        return String(text)
    }

    static func book(_ harness: Harness, key: String, idempotencyKey: String, phone: String) async throws -> String {
        let answer = try await harness.call("POST", "/v1/tenants/\(tenant)/interactions", key: key, json: bookingBody(phone: phone),
                                            headers: [("Idempotency-Key", idempotencyKey), ("Prefer", "wait=10")])
        #expect(answer.status == 200, "\(answer.bodyText)")
        return try #require(answer.json?["id"]?.stringValue)
    }

    static func bookingBody(phone: String) -> JSON {
        ["from": ["phone": .string(phone), "name": "Walker"], "text": "My kitchen sink is clogged", "fields": ["postal_code": "78704"]]
    }

    static func fill(_ path: String, id: String, key: String) -> String {
        path.replacing("{id}", with: id).replacing("{key}", with: key)
    }

    static func send(_ harness: Harness, _ method: String, _ path: String, key: String?) async throws -> HTTPClient.Response {
        let body: JSON? = method == "GET" ? nil
            : ["from": ["phone": "+15125550169"], "text": "My kitchen sink is clogged", "fields": ["postal_code": "78704"]]
        return try await harness.call(method, path, key: key, json: body)
    }

    /// An api key's view: where the request stands, none of the customer's data.
    static func expectSummaryOnly(_ answer: HTTPClient.Response, _ label: String, inList: Bool = false) {
        let object = inList ? answer.json?["data"]?[0] : answer.json
        #expect(object?["status"] != nil, "\(label): \(answer.bodyText)")
        for field in ["customer", "text", "interaction", "context", "steps"] {
            #expect(object?[field] == nil, "\(label) carries \(field): \(answer.bodyText)")
        }
        #expect(!answer.bodyText.contains("+1512555016") && !answer.bodyText.contains("Walker") && !answer.bodyText.contains("sink"),
                "\(label) carries personal data: \(answer.bodyText)")
    }
}
