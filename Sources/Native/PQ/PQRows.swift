/// A statement parameter, sent in PostgreSQL's text format (the statement's SQL casts it when
/// the column type needs it, as in `$1::text[]`).
public enum PQValue: Sendable, Equatable {
    case null
    case text(String)
    case integer(Int64)
    case bool(Bool)
    /// A `text[]` array literal.
    case textArray([String])

    /// The text format of the value; nil for SQL NULL.
    var wireText: String? {
        switch self {
        case .null: return nil
        case .text(let value): return value
        case .integer(let value): return String(value)
        case .bool(let value): return value ? "t" : "f"
        case .textArray(let values):
            // Every element double-quoted, with `"` and `\` escaped: array-literal syntax.
            let elements = values.map { value -> String in
                var quoted = "\""
                for character in value {
                    if character == "\"" || character == "\\" { quoted.append("\\") }
                    quoted.append(character)
                }
                return quoted + "\""
            }
            return "{" + elements.joined(separator: ",") + "}"
        }
    }
}

/// One statement to run: SQL with `$n` parameters and their values.
public struct PQCommand: Sendable {
    public var sql: String
    public var values: [PQValue]

    public init(_ sql: String, _ values: [PQValue] = []) {
        self.sql = sql
        self.values = values
    }
}

/// What a statement returned, copied out of libpq: its rows (text format) and the number of rows
/// an INSERT, UPDATE or DELETE touched.
public struct PQRows: Sendable {
    public let rowCount: Int
    public let columnCount: Int
    /// Row-major; nil is SQL NULL.
    private let cells: [String?]
    /// Rows inserted, updated, deleted or selected, from the command tag.
    public let affected: Int

    init(rowCount: Int, columnCount: Int, cells: [String?], affected: Int) {
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.cells = cells
        self.affected = affected
    }

    public var isEmpty: Bool { rowCount == 0 }

    public func text(_ row: Int, _ column: Int) -> String? { cells[row * columnCount + column] }

    public func isNull(_ row: Int, _ column: Int) -> Bool { cells[row * columnCount + column] == nil }

    /// The integer in a cell (nil for NULL or a value that is not an integer).
    public func int(_ row: Int, _ column: Int) -> Int64? { text(row, column).flatMap { Int64($0) } }

    /// Maps every row.
    public func map<T>(_ transform: (Row) throws -> T) rethrows -> [T] {
        try (0..<rowCount).map { try transform(Row(rows: self, index: $0)) }
    }

    /// One row of a result, read by column index.
    public struct Row {
        let rows: PQRows
        let index: Int

        public func text(_ column: Int) -> String? { rows.text(index, column) }
        public func isNull(_ column: Int) -> Bool { rows.isNull(index, column) }
        public func int(_ column: Int) -> Int64? { rows.int(index, column) }
    }
}
