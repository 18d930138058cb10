/// A position in a configuration file: 1-based line and column.
///
/// Columns count Unicode scalars, as libyaml does, so a column points at the character an editor
/// shows there.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `tenants/acme.yaml:14:5`
    public var description: String { "\(file):\(line):\(column)" }

    /// This location moved by `lines` lines, at `column` (when the move crosses a line) or
    /// `columns` further along the same line.
    public func advanced(lines: Int = 0, column newColumn: Int? = nil, columns: Int = 0) -> SourceLocation {
        var copy = self
        copy.line += lines
        if let newColumn { copy.column = newColumn }
        copy.column += columns
        return copy
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        if lhs.file != rhs.file { return lhs.file < rhs.file }
        if lhs.line != rhs.line { return lhs.line < rhs.line }
        return lhs.column < rhs.column
    }
}
