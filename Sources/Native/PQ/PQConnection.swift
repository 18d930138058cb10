internal import CPQ
import Glibc

/// One PostgreSQL connection through libpq. Not thread-safe: confine each to one thread or serial
/// queue, as libpq requires of a `PGconn`.
///
/// Every statement is prepared once per connection (named by a counter, cached by its SQL) and
/// run with its parameters in text format; `run(_:)` sends a list of them as one pipeline.
public final class PQConnection {
    let handle: OpaquePointer
    public let url: PostgresURL
    /// Prepared statement names by SQL.
    var statements: [String: String] = [:]
    var nextStatement = 0
    /// How long one wait for the server may take before the connection is given up as broken.
    let ioTimeoutMillis: Int32
    /// Set when a call failed mid-way and left the protocol state unknown.
    var isBroken = false

    /// Connects (blocking, up to `connectTimeoutSeconds` unless the URL sets `connect_timeout`).
    /// - Throws: `PQError` naming the redacted URL and libpq's reason.
    public init(url: PostgresURL, applicationName: String = "switchboard", connectTimeoutSeconds: Int = 5,
                ioTimeoutSeconds: Int = 30) throws(PQError) {
        self.url = url
        ioTimeoutMillis = Int32(ioTimeoutSeconds * 1000)
        // > When key words are repeated, the last processed value is retained. Therefore, through
        // > careful placement of the dbname key word, it is possible to determine what may be
        // > overridden by a conninfo string, and what may not.
        // Our defaults come first, the URL (as dbname) last: the URL's own settings win.
        let keywords = ["connect_timeout", "application_name", "dbname"]
        let values = [String(connectTimeoutSeconds), applicationName, url.text]
        let connection = Self.withCStrings(keywords) { keywordPointers in
            Self.withCStrings(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let connection else {
            throw PQError(message: "out of memory while connecting", server: url.redacted, isConnectionFailure: true)
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = url.redact(Self.trimmed(PQerrorMessage(connection)))
            // > Note that even if the server connection attempt fails (as indicated by PQstatus), the
            // > application should call PQfinish to free the memory used by the PGconn object.
            PQfinish(connection)
            throw PQError(message: message, server: url.redacted, isConnectionFailure: true)
        }
        handle = connection
        // > The default notice processing function prints the message on stderr.
        // Notices (a table that already exists, a cascade) are not errors, and logs stay JSON lines.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        // > In the nonblocking state, successful calls to PQsendQuery, PQputline, PQputnbytes,
        // > PQputCopyData, and PQendcopy will not block; their changes are stored in the local
        // > output buffer until they are flushed.
        // A long pipeline is then flushed while its results are read, so neither side waits on a
        // full socket buffer for the other.
        PQsetnonblocking(connection, 1)
    }

    deinit { PQfinish(handle) }

    /// False once the connection broke; `reconnect()` re-establishes it.
    public var isHealthy: Bool { !isBroken && PQstatus(handle) == CONNECTION_OK }

    /// Re-establishes a broken connection (same URL); prepared statements are prepared again as
    /// they are next used.
    public func reconnect() throws(PQError) {
        // > This function will close the connection to the server and attempt to establish a new
        // > connection, using all the same parameters previously used.
        PQreset(handle)
        statements = [:]
        isBroken = false
        guard PQstatus(handle) == CONNECTION_OK else {
            throw PQError(message: url.redact(Self.trimmed(PQerrorMessage(handle))), server: url.redacted, isConnectionFailure: true)
        }
        PQsetnonblocking(handle, 1)
    }

    /// Runs one or more statements without parameters and without results (schema changes).
    public func execute(_ sql: String) throws(PQError) {
        // > PQexec does not honor nonblocking mode; if it is called, it will act in blocking fashion anyway.
        guard let result = PQexec(handle, sql) else { throw connectionError(sql: sql) }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY else {
            throw error(from: result, sql: sql)
        }
    }

    /// Runs one statement and returns its rows.
    public func query(_ sql: String, _ values: [PQValue] = []) throws(PQError) -> PQRows {
        try run([PQCommand(sql, values)])[0].get()
    }

    /// True while an explicit transaction (BEGIN without COMMIT) is open or failed.
    public var isInTransaction: Bool {
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    /// Runs `body` between BEGIN and COMMIT, rolling back if it throws.
    public func transaction<T>(_ body: (PQConnection) throws -> T) throws -> T {
        _ = try query("BEGIN")
        do {
            let value = try body(self)
            _ = try query("COMMIT")
            return value
        } catch {
            if isHealthy && isInTransaction { _ = try? query("ROLLBACK") }
            throw error
        }
    }

    func error(from result: OpaquePointer, sql: String?) -> PQError {
        let state = switchboard_pq_sqlstate(result).map { String(cString: $0) }
        let message = Self.trimmed(PQresultErrorMessage(result))
        return PQError(sqlState: state, message: url.redact(message.isEmpty ? Self.trimmed(PQerrorMessage(handle)) : message),
                       sql: sql, server: url.redacted, isConnectionFailure: PQstatus(handle) != CONNECTION_OK)
    }

    func connectionError(sql: String?) -> PQError {
        PQError(message: url.redact(Self.trimmed(PQerrorMessage(handle))), sql: sql, server: url.redacted,
                isConnectionFailure: true)
    }

    static func trimmed(_ pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        var text = String(cString: pointer)
        while text.last == "\n" || text.last == " " { text.removeLast() }
        return text
    }

    /// Calls `body` with a NULL-terminated array of C strings that live for the call.
    static func withCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        let copies = strings.map { $0.map { strdup($0) } ?? nil }
        defer { for copy in copies { free(copy) } }
        return body(copies.map { $0.map { UnsafePointer($0) } } + [nil])
    }
}
