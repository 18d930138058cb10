import Native
import Testing

struct PostgresURLTests {
    @Test func password_isRedacted_inTheDescription() throws {
        let url = try #require(PostgresURL("postgres://app:s3cr%40t-pass@db.internal:5433/journal?sslmode=require"))
        #expect(url.description == "postgres://app:***@db.internal:5433/journal?sslmode=require")
        #expect("\(url)".contains("s3cr") == false)
    }

    @Test func passwordParameter_isRedactedToo() throws {
        let url = try #require(PostgresURL("postgresql://db/journal?user=app&password=topsecret&application_name=x"))
        #expect(url.redacted == "postgresql://db/journal?user=app&password=***&application_name=x")
    }

    @Test func urlWithoutPassword_isUnchanged() throws {
        let url = try #require(PostgresURL("postgres://app@db:5432/journal"))
        #expect(url.redacted == "postgres://app@db:5432/journal")
        // A user name with an @ in the host part still redacts the password only.
        #expect(PostgresURL("postgres://a:b@c@host/db")?.redacted == "postgres://a:***@host/db")
    }

    @Test func redact_scrubsThePasswordFromOtherText_decodedOrNot() throws {
        let url = try #require(PostgresURL("postgres://app:s3cr%40t-pass@db/journal"))
        #expect(url.redact("bad value s3cr@t-pass and s3cr%40t-pass") == "bad value *** and ***")
        // Short passwords are not scrubbed from prose: they would garble it.
        #expect(PostgresURL("postgres://a:pw@db/x")?.redact("pw is short") == "pw is short")
    }

    @Test func onlyPostgresSchemes_areURLs() {
        #expect(PostgresURL.isPostgres("postgres://db/x") && PostgresURL.isPostgres("postgresql://db/x"))
        #expect(PostgresURL("var/switchboard.sqlite") == nil)
        #expect(PostgresURL("mysql://db/x") == nil)
    }

    @Test func addingAParameter_keepsTheRest() throws {
        let url = try #require(PostgresURL("postgres://a:secret-1@db/x"))
        #expect(url.adding(parameter: "options", value: "-c%20x%3D1").redacted == "postgres://a:***@db/x?options=-c%20x%3D1")
        #expect(url.adding(parameter: "a", value: "1").adding(parameter: "b", value: "2").redacted == "postgres://a:***@db/x?a=1&b=2")
    }
}
