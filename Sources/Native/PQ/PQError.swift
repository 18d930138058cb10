/// A failed PostgreSQL call: the SQLSTATE, the server's (or libpq's) message, the statement, and
/// the server as a redacted URL. Bound values never appear: they may hold customer data.
public struct PQError: Error, Sendable, CustomStringConvertible {
    /// The five-character SQLSTATE (`23505` unique violation, `08006` connection failure), when
    /// the server sent one.
    public var sqlState: String?
    public var message: String
    public var sql: String?
    /// The database, with its password redacted.
    public var server: String
    /// The connection is gone (refused, closed, or broken mid-call): it has to be re-established.
    public var isConnectionFailure: Bool

    public init(sqlState: String? = nil, message: String, sql: String? = nil, server: String, isConnectionFailure: Bool = false) {
        self.sqlState = sqlState
        self.message = message
        self.sql = sql
        self.server = server
        self.isConnectionFailure = isConnectionFailure || sqlState?.hasPrefix("08") == true
    }

    /// Class 23: a unique key, foreign key or check refused the write.
    public var isConstraintViolation: Bool { sqlState?.hasPrefix("23") == true }

    /// Worth trying again on a fresh transaction: the connection broke, the server is shutting
    /// down or out of resources, or it chose this transaction as a deadlock or serialization victim.
    public var isTransient: Bool {
        guard !isConnectionFailure else { return true }
        guard let sqlState else { return false }
        return sqlState.hasPrefix("53") || sqlState.hasPrefix("57P") || sqlState == "40001" || sqlState == "40P01"
    }

    public var description: String {
        var text = "PostgreSQL error"
        if let sqlState { text += " \(sqlState)" }
        text += " on \(server): \(message)"
        if let sql { text += " — while executing \(sql)" }
        return text
    }
}
