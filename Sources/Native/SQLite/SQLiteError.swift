/// A failed SQLite call: the result code, SQLite's message, and the statement (never its bound
/// values, which may hold customer data).
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    public var code: Int32
    public var message: String
    public var sql: String?
    /// The database file.
    public var path: String

    public init(code: Int32, message: String, sql: String? = nil, path: String) {
        self.code = code
        self.message = message
        self.sql = sql
        self.path = path
    }

    /// The primary result code (the low byte of an extended code).
    public var primaryCode: Int32 { code & 0xFF }

    /// SQLITE_CONSTRAINT: a unique key or other constraint refused the write.
    public var isConstraintViolation: Bool { primaryCode == 19 }
    /// SQLITE_BUSY / SQLITE_LOCKED.
    public var isBusy: Bool { primaryCode == 5 || primaryCode == 6 }
    /// SQLITE_FULL / SQLITE_IOERR: the disk is full or failing.
    public var isStorageFailure: Bool { primaryCode == 13 || primaryCode == 10 }

    public var description: String {
        var text = "SQLite error \(code) on \(path): \(message)"
        if let sql { text += " — while executing \(sql)" }
        return text
    }
}
