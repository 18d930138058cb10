internal import CYAML
import Model

/// One libyaml event, copied into Swift values.
enum YAMLEvent {
    case streamStart, streamEnd
    case documentStart, documentEnd
    case alias(anchor: String)
    case scalar(YAMLScalar, anchor: String?, tag: String?)
    case sequenceStart(anchor: String?, tag: String?)
    case sequenceEnd
    case mappingStart(anchor: String?, tag: String?)
    case mappingEnd
}

/// Owns one libyaml parser and the input it reads, and turns its events into `YAMLEvent`s.
final class YAMLEventParser {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let input: UnsafeMutableBufferPointer<UInt8>
    private let file: String
    let fileID: Int32

    init(bytes: some Collection<UInt8>, file: String) throws(YAMLError) {
        self.file = file
        fileID = SourceFileNames.id(for: file)
        // The parser keeps a pointer to itself (its string read handler's data) and to the input,
        // so both live at fixed heap addresses for the parser's whole life.
        parser = .allocate(capacity: 1)
        input = .allocate(capacity: max(1, bytes.count))
        _ = input.initialize(from: bytes)
        // > yaml_parser_initialize: Initialize a parser. This function creates a new parser object.
        // > An application is responsible for destroying the object using yaml_parser_delete().
        guard yaml_parser_initialize(parser) == 1 else {
            parser.deallocate()
            input.deallocate()
            throw YAMLError("libyaml could not allocate a parser (out of memory)", at: SourceLocation(file: file, line: 1, column: 1))
        }
        // > yaml_parser_set_input_string: Set a string input. Note that the input pointer must be
        // > valid while the parser object exists.
        yaml_parser_set_input_string(parser, input.baseAddress, bytes.count)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
        input.deallocate()
    }

    /// The next event and where it starts (1-based line and column).
    func next() throws(YAMLError) -> (YAMLEvent, line: Int, column: Int) {
        var event = yaml_event_t()
        // > yaml_parser_parse: An application is responsible for freeing any buffers associated
        // > with the produced event object using the yaml_event_delete() function.
        guard yaml_parser_parse(parser, &event) == 1 else { throw currentError() }
        defer { yaml_event_delete(&event) }
        let location = (line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
        switch event.type {
        case YAML_STREAM_START_EVENT: return (.streamStart, location.line, location.column)
        case YAML_STREAM_END_EVENT: return (.streamEnd, location.line, location.column)
        case YAML_DOCUMENT_START_EVENT: return (.documentStart, location.line, location.column)
        case YAML_DOCUMENT_END_EVENT: return (.documentEnd, location.line, location.column)
        case YAML_ALIAS_EVENT:
            return (.alias(anchor: Self.string(event.data.alias.anchor) ?? ""), location.line, location.column)
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
            let scalar = YAMLScalar(text: text, style: Self.style(data.style))
            return (.scalar(scalar, anchor: Self.string(data.anchor), tag: Self.string(data.tag)), location.line, location.column)
        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            return (.sequenceStart(anchor: Self.string(data.anchor), tag: Self.string(data.tag)), location.line, location.column)
        case YAML_SEQUENCE_END_EVENT: return (.sequenceEnd, location.line, location.column)
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            return (.mappingStart(anchor: Self.string(data.anchor), tag: Self.string(data.tag)), location.line, location.column)
        case YAML_MAPPING_END_EVENT: return (.mappingEnd, location.line, location.column)
        default:
            throw YAMLError("libyaml produced no event", at: SourceLocation(file: file, line: location.line, column: location.column))
        }
    }

    private func currentError() -> YAMLError {
        let p = parser.pointee
        let problem = p.problem.map { String(cString: $0) } ?? "invalid YAML"
        let mark = p.problem_mark
        // libyaml reports reader errors (bad encoding) by byte offset with no line.
        var location = SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
        var message = problem
        if p.error == YAML_READER_ERROR {
            location = SourceLocation(file: file, line: 1, column: 1)
            message = "\(problem) at byte \(p.problem_offset): save the file as UTF-8"
        }
        if let context = p.context.map({ String(cString: $0) }) {
            let at = p.context_mark
            message += " (\(context) at \(Int(at.line) + 1):\(Int(at.column) + 1))"
        }
        return YAMLError(message, at: location)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLScalar.Style {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: return .literal
        case YAML_FOLDED_SCALAR_STYLE: return .folded
        default: return .plain
        }
    }
}
