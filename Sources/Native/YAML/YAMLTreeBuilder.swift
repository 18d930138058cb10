import Model

/// Builds the node tree from parser events: resolves aliases and merge keys, rejects duplicate
/// keys, and enforces the size limits.
final class YAMLTreeBuilder {
    // An open collection. A class, so appending to it never copies its arrays.
    private final class Collection {
        let isMapping: Bool
        let line: Int
        let column: Int
        let anchor: String?
        let tag: String?
        var items: [YAMLNode] = []
        var pairs: [YAMLPair] = []
        /// The keys so far, for duplicate checks without copying key nodes.
        var keyTexts: [String] = []
        /// Each key's index in `keyTexts`, once the mapping is too wide to scan.
        var keyIndex: [String: Int] = [:]
        var pendingKey: YAMLNode?
        var merges: [YAMLNode] = []

        init(isMapping: Bool, line: Int, column: Int, anchor: String?, tag: String?) {
            self.isMapping = isMapping
            self.line = line
            self.column = column
            self.anchor = anchor
            self.tag = tag
        }
    }

    let file: String
    let fileID: Int32
    let limits: YAML.Limits
    private(set) var root: YAMLNode?
    private var stack: [Collection] = []
    private var anchors: [String: YAMLNode] = [:]
    private var openAnchors: Set<String> = []
    private var expandedNodes = 0
    private var documents = 0

    init(file: String, fileID: Int32, limits: YAML.Limits) {
        self.file = file
        self.fileID = fileID
        self.limits = limits
    }

    /// Takes one event; true once the stream has ended.
    func consume(_ event: YAMLEvent, line: Int, column: Int) throws(YAMLError) -> Bool {
        // Built only when reporting.
        var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }
        switch event {
        case .streamStart, .documentEnd:
            return false
        case .streamEnd:
            return true
        case .documentStart:
            documents += 1
            if documents > 1 {
                throw YAMLError("a second YAML document starts here; a tenant file holds exactly one (remove the `---`)", at: location)
            }
        case .scalar(let scalar, let anchor, let tag):
            try count(1, at: line, column)
            try attach(YAMLNode(content: .scalar(scalar), fileID: fileID, line: line, column: column, tag: tag), anchor: anchor)
        case .alias(let name):
            guard let node = anchors[name] else {
                if openAnchors.contains(name) {
                    throw YAMLError("alias *\(name) refers to the collection that contains it; recursive aliases are not allowed", at: location)
                }
                throw YAMLError("unknown alias *\(name): define the anchor &\(name) before using it", at: location)
            }
            try count(node.weight, at: line, column)
            try attach(node, anchor: nil)
        case .sequenceStart(let anchor, let tag), .mappingStart(let anchor, let tag):
            try count(1, at: line, column)
            guard stack.count < limits.maxDepth else {
                throw YAMLError("nesting deeper than \(limits.maxDepth) levels", at: location)
            }
            if let anchor { openAnchors.insert(anchor) }
            var isMapping = false
            if case .mappingStart = event { isMapping = true }
            stack.append(Collection(isMapping: isMapping, line: line, column: column, anchor: anchor, tag: tag))
        case .sequenceEnd:
            guard let collection = stack.popLast(), !collection.isMapping else { preconditionFailure("libyaml ended a sequence that did not start") }
            let node = YAMLNode(content: .sequence(collection.items), fileID: fileID, line: collection.line, column: collection.column,
                                tag: collection.tag)
            try finish(node, anchor: collection.anchor)
        case .mappingEnd:
            guard let collection = stack.popLast(), collection.isMapping else { preconditionFailure("libyaml ended a mapping that did not start") }
            let pairs = merged(collection)
            let node = YAMLNode(content: .mapping(pairs), fileID: fileID, line: collection.line, column: collection.column,
                                tag: collection.tag)
            try finish(node, anchor: collection.anchor)
        }
        return false
    }

    private func count(_ nodes: Int, at line: Int, _ column: Int) throws(YAMLError) {
        expandedNodes += nodes
        if expandedNodes > limits.maxExpandedNodes {
            throw YAMLError("aliases expand this document past \(limits.maxExpandedNodes) nodes; "
                            + "use fewer or smaller aliases (a document like this is a denial-of-service attempt)",
                            at: SourceLocation(file: file, line: line, column: column))
        }
    }

    private func finish(_ node: YAMLNode, anchor: String?) throws(YAMLError) {
        if let anchor { openAnchors.remove(anchor) }
        try attach(node, anchor: anchor)
    }

    private func attach(_ node: YAMLNode, anchor: String?) throws(YAMLError) {
        if let anchor { anchors[anchor] = node }
        guard !stack.isEmpty else {
            root = node
            return
        }
        let top = stack[stack.count - 1]
        if top.isMapping {
            try add(node, to: top)
        } else {
            top.items.append(node)
        }
    }

    private func add(_ node: YAMLNode, to collection: Collection) throws(YAMLError) {
        guard let key = collection.pendingKey else {
            guard let scalar = node.scalar else {
                throw YAMLError("a mapping key must be a plain word or string, not \(node.kindDescription)", at: node.location)
            }
            if scalar.isPlain && scalar.text == "<<" && node.tag == nil {
                collection.pendingKey = node
                return
            }
            if let index = Self.index(of: scalar.text, in: collection) {
                let at = collection.pairs[index].key.location
                throw YAMLError("duplicate key \"\(scalar.text)\" (first defined at \(at.line):\(at.column)); "
                                + "remove one of them", at: node.location)
            }
            collection.keyTexts.append(scalar.text)
            if collection.keyTexts.count > Self.scannedKeys {
                if collection.keyIndex.isEmpty {
                    for (index, text) in collection.keyTexts.enumerated() { collection.keyIndex[text] = index }
                } else {
                    collection.keyIndex[scalar.text] = collection.keyTexts.count - 1
                }
            }
            collection.pendingKey = node
            return
        }
        collection.pendingKey = nil
        if let scalar = key.scalar, scalar.isPlain, scalar.text == "<<", key.tag == nil {
            switch node.content {
            case .mapping: collection.merges.append(node)
            case .sequence(let sources) where sources.allSatisfy({ $0.mapping != nil }): collection.merges.append(contentsOf: sources)
            default:
                throw YAMLError("a merge key `<<` takes a mapping or a list of mappings, not \(node.kindDescription)", at: node.location)
            }
            return
        }
        collection.pairs.append(YAMLPair(key: key, value: node))
    }

    /// Tenant mappings are mostly small, and for those a scan beats hashing every key. A wider
    /// one (generated, or hostile) is indexed: scanning would make its duplicate checks
    /// quadratic in its keys.
    private static let scannedKeys = 16

    private static func index(of text: String, in collection: Collection) -> Int? {
        if collection.keyTexts.count > scannedKeys { return collection.keyIndex[text] }
        return collection.keyTexts.firstIndex(of: text)
    }

    /// The mapping's own pairs, then the merged mappings' pairs whose keys it does not set, in
    /// order (an earlier merge source wins over a later one, as the merge-key spec says).
    private func merged(_ collection: Collection) -> [YAMLPair] {
        guard !collection.merges.isEmpty else { return collection.pairs }
        var pairs = collection.pairs
        var present = Set(collection.pairs.compactMap { $0.key.scalar?.text })
        for source in collection.merges {
            for pair in source.mapping ?? [] {
                guard let text = pair.key.scalar?.text, !present.contains(text) else { continue }
                present.insert(text)
                pairs.append(pair)
            }
        }
        return pairs
    }
}
