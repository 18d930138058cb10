import Model
import Native

/// Where a scalar's text sits in the file, to turn a line:column inside the text (a template
/// error, a `${VAR}`) into a file location. Exact for single-line plain and quoted scalars
/// without escapes and for literal blocks (`|`); folded and multi-line flow scalars point at the
/// right line of the text's start.
struct TextOrigin {
    var location: SourceLocation
    var style: YAMLScalar.Style
    /// Block scalars: the 1-based column where content lines start.
    var contentColumn: Int

    init(node: YAMLNode, source: SourceText) {
        location = node.location
        style = node.scalar?.style ?? .plain
        contentColumn = 1
        if style == .literal || style == .folded {
            contentColumn = source.indentation(ofFirstContentLineAfter: location.line) + 1
        }
    }

    func locate(line: Int, column: Int) -> SourceLocation {
        switch style {
        case .literal, .folded:
            return SourceLocation(file: location.file, line: location.line + line, column: contentColumn + column - 1)
        case .plain:
            return line == 1 ? location.advanced(columns: column - 1) : location.advanced(lines: line - 1, column: column)
        case .singleQuoted, .doubleQuoted:
            return line == 1 ? location.advanced(columns: column) : location.advanced(lines: line - 1, column: column)
        }
    }

    /// The location of the character at `offset` (counted in Unicode scalars) of the text.
    func locate(offset: Int, in text: String) -> SourceLocation {
        var line = 1
        var column = 1
        for scalar in text.unicodeScalars.prefix(offset) {
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return locate(line: line, column: column)
    }
}

/// The raw lines of a file, for block-scalar indentation and hints.
final class SourceText {
    private let bytes: [UInt8]
    private lazy var lineStarts: [Int] = {
        var starts = [0]
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { starts.append(index + 1) }
        return starts
    }()

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// The 1-based line `number`, without its line feed.
    func line(_ number: Int) -> String? {
        guard number >= 1, number <= lineStarts.count else { return nil }
        let start = lineStarts[number - 1]
        let end = number < lineStarts.count ? lineStarts[number] - 1 : bytes.count
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// Leading spaces of the first non-blank line after the 1-based line `line`.
    func indentation(ofFirstContentLineAfter line: Int) -> Int {
        var index = line
        while index < lineStarts.count {
            var position = lineStarts[index]
            var spaces = 0
            while position < bytes.count, bytes[position] == UInt8(ascii: " ") { spaces += 1; position += 1 }
            if position < bytes.count, bytes[position] != UInt8(ascii: "\n") { return spaces }
            index += 1
        }
        return 0
    }
}
