import Model

/// Builds the node tree from parser events: resolves aliases and merge keys, rejects duplicate
/// keys, and enforces the size limits.
struct YAMLTreeBuilder {
    private enum Frame {
        case sequence(Collection)
        case mapping(Collection)
    }

    private struct Collection {
        var location: SourceLocation
        var anchor: String?
        var tag: String?
        var items: [YAMLNode] = []
        var pairs: [YAMLPair] = []
        var pendingKey: YAMLNode?
        var keys: [String: SourceLocation] = [:]
        var merges: [YAMLNode] = []
    }

    let file: String
    let limits: YAML.Limits
    private(set) var root: YAMLNode?
    private var stack: [Frame] = []
    private var anchors: [String: YAMLNode] = [:]
    private var openAnchors: Set<String> = []
    private var expandedNodes = 0
    private var documents = 0

    init(file: String, limits: YAML.Limits) {
        self.file = file
        self.limits = limits
    }

    /// Takes one event; true once the stream has ended.
    mutating func consume(_ event: YAMLEvent, at location: SourceLocation) throws(YAMLError) -> Bool {
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
            try count(1, at: location)
            try attach(YAMLNode(content: .scalar(scalar), location: location, tag: tag), anchor: anchor)
        case .alias(let name):
            guard let node = anchors[name] else {
                if openAnchors.contains(name) {
                    throw YAMLError("alias *\(name) refers to the collection that contains it; recursive aliases are not allowed", at: location)
                }
                throw YAMLError("unknown alias *\(name): define the anchor &\(name) before using it", at: location)
            }
            try count(node.weight, at: location)
            try attach(node, anchor: nil)
        case .sequenceStart(let anchor, let tag), .mappingStart(let anchor, let tag):
            try count(1, at: location)
            guard stack.count < limits.maxDepth else {
                throw YAMLError("nesting deeper than \(limits.maxDepth) levels", at: location)
            }
            if let anchor { openAnchors.insert(anchor) }
            let collection = Collection(location: location, anchor: anchor, tag: tag)
            if case .sequenceStart = event { stack.append(.sequence(collection)) } else { stack.append(.mapping(collection)) }
        case .sequenceEnd:
            guard case .sequence(let collection)? = stack.popLast() else { preconditionFailure("libyaml ended a sequence that did not start") }
            let node = YAMLNode(content: .sequence(collection.items), location: collection.location, tag: collection.tag)
            try finish(node, anchor: collection.anchor)
        case .mappingEnd:
            guard case .mapping(let collection)? = stack.popLast() else { preconditionFailure("libyaml ended a mapping that did not start") }
            let pairs = try merged(collection)
            let node = YAMLNode(content: .mapping(pairs), location: collection.location, tag: collection.tag)
            try finish(node, anchor: collection.anchor)
        }
        return false
    }

    private mutating func count(_ nodes: Int, at location: SourceLocation) throws(YAMLError) {
        expandedNodes += nodes
        if expandedNodes > limits.maxExpandedNodes {
            throw YAMLError("aliases expand this document past \(limits.maxExpandedNodes) nodes; "
                            + "use fewer or smaller aliases (a document like this is a denial-of-service attempt)", at: location)
        }
    }

    private mutating func finish(_ node: YAMLNode, anchor: String?) throws(YAMLError) {
        if let anchor { openAnchors.remove(anchor) }
        try attach(node, anchor: anchor)
    }

    private mutating func attach(_ node: YAMLNode, anchor: String?) throws(YAMLError) {
        if let anchor { anchors[anchor] = node }
        guard let top = stack.popLast() else {
            root = node
            return
        }
        switch top {
        case .sequence(var collection):
            collection.items.append(node)
            stack.append(.sequence(collection))
        case .mapping(var collection):
            try add(node, to: &collection)
            stack.append(.mapping(collection))
        }
    }

    private func add(_ node: YAMLNode, to collection: inout Collection) throws(YAMLError) {
        guard let key = collection.pendingKey else {
            guard let scalar = node.scalar else {
                throw YAMLError("a mapping key must be a plain word or string, not \(node.kindDescription)", at: node.location)
            }
            if scalar.isPlain && scalar.text == "<<" && node.tag == nil {
                collection.pendingKey = node
                return
            }
            if let first = collection.keys[scalar.text] {
                throw YAMLError("duplicate key \"\(scalar.text)\" (first defined at \(first.line):\(first.column)); "
                                + "remove one of them", at: node.location)
            }
            collection.keys[scalar.text] = node.location
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

    /// The mapping's own pairs, then the merged mappings' pairs whose keys it does not set, in
    /// order (an earlier merge source wins over a later one, as the merge-key spec says).
    private func merged(_ collection: Collection) throws(YAMLError) -> [YAMLPair] {
        guard !collection.merges.isEmpty else { return collection.pairs }
        var pairs = collection.pairs
        var present = Set(collection.keys.keys)
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
