import Model

/// Reads YAML with libyaml into `YAMLNode` trees.
///
/// ```swift
/// let root = try YAML.parse(bytes, file: "tenants/acme.yaml")
/// root["tenant"]?["id"]?.scalar?.text   // "acme-plumbing"
/// ```
///
/// Beyond what libyaml checks, a document is rejected when a mapping repeats a key, when an alias
/// names no anchor (or the collection that contains it), and when aliases would expand it past
/// `Limits.maxExpandedNodes` nodes (the "billion laughs" attack).
public enum YAML {
    public struct Limits: Sendable {
        /// Nodes in the document once every alias is expanded.
        public var maxExpandedNodes = 250_000
        /// Collections inside collections.
        public var maxDepth = 64

        public init() {}
    }

    /// Parses one YAML document. An empty text is a null scalar; a second document is an error.
    ///
    /// - Throws: `YAMLError` at the first problem, with its file, line and column.
    public static func parse(_ bytes: some Collection<UInt8>, file: String, limits: Limits = Limits()) throws(YAMLError) -> YAMLNode {
        let parser = try YAMLEventParser(bytes: bytes, file: file)
        let builder = YAMLTreeBuilder(file: file, fileID: parser.fileID, limits: limits)
        while true {
            let (event, line, column) = try parser.next()
            if try builder.consume(event, line: line, column: column) { break }
        }
        return builder.root ?? YAMLNode(content: .scalar(YAMLScalar(text: "", style: .plain)),
                                        location: SourceLocation(file: file, line: 1, column: 1))
    }

    public static func parse(_ text: String, file: String, limits: Limits = Limits()) throws(YAMLError) -> YAMLNode {
        try parse(Array(text.utf8), file: file, limits: limits)
    }
}
