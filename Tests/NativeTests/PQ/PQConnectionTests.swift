import Glibc
import Native
import Testing

/// The test server `scripts/test` starts.
enum TestPostgres {
    static let url = getenv("SWITCHBOARD_TEST_POSTGRES_URL").flatMap { PostgresURL(String(cString: $0)) }
}

/// libpq through `PQConnection` against the test server (`SWITCHBOARD_TEST_POSTGRES_URL`).
@Suite(.enabled(if: TestPostgres.url != nil, "needs SWITCHBOARD_TEST_POSTGRES_URL (scripts/test starts a server)"))
struct PQConnectionTests {

    private func connect() throws -> PQConnection {
        let connection = try PQConnection(url: TestPostgres.url!)
        try connection.execute("CREATE TEMPORARY TABLE t (k text PRIMARY KEY, n bigint, note text)")
        return connection
    }

    @Test func pipeline_runsAsOneTransaction_andAFailureRollsItAllBack() throws {
        let connection = try connect()
        let results = try connection.run([
            PQCommand("INSERT INTO t (k, n) VALUES ($1, $2)", [.text("a"), .integer(1)]),
            PQCommand("INSERT INTO t (k, n) VALUES ($1, $2)", [.text("a"), .integer(2)]),  // duplicate key
            PQCommand("INSERT INTO t (k, n) VALUES ($1, $2)", [.text("b"), .integer(3)]),
        ])
        guard case .success = results[0], case .failure(let duplicate) = results[1], case .failure(let skipped) = results[2] else {
            Issue.record("unexpected results \(results)"); return
        }
        #expect(duplicate.sqlState == "23505" && duplicate.isConstraintViolation)
        #expect(skipped.sqlState == "23505")  // not run: it repeats the error that stopped the pipeline
        #expect(try connection.query("SELECT count(*) FROM t").int(0, 0) == 0)
        #expect(!connection.isInTransaction)
        // The connection goes on working, with the statements it prepared.
        _ = try connection.query("INSERT INTO t (k, n) VALUES ($1, $2)", [.text("a"), .integer(1)])
        #expect(try connection.query("SELECT n FROM t WHERE k = $1", [.text("a")]).int(0, 0) == 1)
    }

    @Test func values_roundTrip_nullsNumbersTextAndArrays() throws {
        let connection = try connect()
        let text = "quote \" backslash \\ comma, brace } é 🚰"
        let rows = try connection.query("SELECT $1::text, $2::bigint, $3::boolean, ($4::text[])[2], $5::text IS NULL",
                                        [.text(text), .integer(-42), .bool(true), .textArray(["x", text]), .null])
        #expect(rows.text(0, 0) == text)
        #expect(rows.int(0, 1) == -42)
        #expect(rows.text(0, 2) == "t")
        #expect(rows.text(0, 3) == text)
        #expect(rows.text(0, 4) == "t")
    }

    @Test func largePipeline_isFlushedWhileResultsAreRead() throws {
        // Several MB out and thousands of results back: more than the socket buffers hold, so
        // sending and reading must interleave.
        let connection = try connect()
        let payload = String(repeating: "x", count: 2000)
        let commands = (0..<3000).map { PQCommand("INSERT INTO t (k, n, note) VALUES ($1, $2, $3)", [.text("k\($0)"), .integer(Int64($0)), .text(payload)]) }
        let results = try connection.run(commands)
        #expect(results.allSatisfy { (try? $0.get())?.affected == 1 })
        #expect(try connection.query("SELECT count(*), sum(length(note)) FROM t").int(0, 1) == 3000 * 2000)
    }

    @Test func syntaxError_namesTheStatement_andThePreparedCacheRecovers() throws {
        let connection = try connect()
        #expect(throws: PQError.self) { _ = try connection.query("SELEC 1") }
        do {
            _ = try connection.query("SELEC 1")
        } catch {
            #expect(error.sqlState == "42601")
            #expect(error.description.contains("while executing SELEC 1"))
            #expect(error.description.contains(TestPostgres.url!.redacted))
        }
        #expect(try connection.query("SELECT 1").int(0, 0) == 1)
    }
}
