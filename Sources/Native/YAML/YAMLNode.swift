import Model

/// A node of a parsed YAML document, with the place it came from.
///
/// Aliases are already resolved (an alias is a copy of its anchor's node, located where the
/// anchor was defined), and `<<` merge keys already applied, so a reader sees plain data.
public struct YAMLNode: Sendable {
    public enum Content: Sendable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    public var content: Content
    // The location, packed: the file as a number (SourceFileNames), line and column.
    private var fileID: Int32
    private var line: Int32
    private var column: Int32
    /// The explicit tag in its full form (`tag:yaml.org,2002:str` for `!!str`, `!` for the
    /// non-specific tag), or nil when the node had none.
    public var tag: String?
    /// Nodes in this subtree, alias copies included: what bounds alias expansion.
    var weight: Int

    public init(content: Content, location: SourceLocation, tag: String? = nil) {
        self.init(content: content, fileID: SourceFileNames.id(for: location.file), line: location.line, column: location.column,
                  tag: tag)
    }

    init(content: Content, fileID: Int32, line: Int, column: Int, tag: String?) {
        self.content = content
        self.fileID = fileID
        self.line = Int32(clamping: line)
        self.column = Int32(clamping: column)
        self.tag = tag
        switch content {
        case .scalar: weight = 1
        case .sequence(let items): weight = items.reduce(1) { $0 + $1.weight }
        case .mapping(let pairs): weight = pairs.reduce(1) { $0 + $1.key.weight + $1.value.weight }
        }
    }

    /// Where the node starts: for a mapping member's value, the value (its key has its own node).
    public var location: SourceLocation {
        SourceLocation(file: SourceFileNames.name(fileID), line: Int(line), column: Int(column))
    }

    public var scalar: YAMLScalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }

    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    public var mapping: [YAMLPair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// The value of `key` in a mapping whose keys are scalars.
    public subscript(key: String) -> YAMLNode? {
        mapping?.first { $0.key.scalar?.text == key }?.value
    }

    /// The scalar's value under the YAML 1.2 core schema, honouring explicit tags; nil for
    /// collections.
    public var value: YAMLValue? {
        guard let scalar else { return nil }
        return YAMLValue.resolve(scalar, tag: tag)
    }

    /// What this node is, for messages: "a mapping", "a list", "the string "8"", "the number 8".
    public var kindDescription: String {
        switch content {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let scalar):
            switch YAMLValue.resolve(scalar, tag: tag) {
            case .null: return "nothing"
            case .bool(let flag): return "the Boolean \(flag)"
            case .int, .float: return "the number \(scalar.text)"
            case .string(let text): return "the string \"\(text.count > 40 ? String(text.prefix(40)) + "…" : text)\""
            }
        }
    }
}

/// One key and value of a mapping.
public struct YAMLPair: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

/// A scalar's text as written (after YAML's own unescaping and folding) and how it was written:
/// `8` is a plain scalar that reads as a number, `"8"` a quoted one that is always a string.
public struct YAMLScalar: Sendable, Equatable {
    public enum Style: Sendable, Equatable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    public var text: String
    public var style: Style

    public init(text: String, style: Style) {
        self.text = text
        self.style = style
    }

    public var isPlain: Bool { style == .plain }
}
